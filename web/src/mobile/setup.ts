// antd-mobile's imperative APIs (Toast, Dialog) render through this hook under React 19.
import { unstableSetRender } from 'antd-mobile';
import { createRoot, type Root } from 'react-dom/client';

type Container = (Element | DocumentFragment) & { __linliRoot?: Root };

unstableSetRender((node, container) => {
  const target = container as Container;
  target.__linliRoot ??= createRoot(target);
  const root = target.__linliRoot;
  root.render(node);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.unmount();
    delete target.__linliRoot;
  };
});
