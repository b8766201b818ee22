// Resident's H5 home (居民): order a service (点单), follow and rate my orders (评单). (issue 4)
export function ResidentHome() {
  return <div className="linli-m-page">居民首页</div>;
}
