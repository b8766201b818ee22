// In-service member's H5 home (在职党员): my posts, tasks near me, calls, my hours and ratings. (issue 4)
export function MemberHome() {
  return <div className="linli-m-page">在职党员首页</div>;
}
