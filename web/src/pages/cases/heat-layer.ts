// A heat layer drawn on one canvas (no plug-in, no tiles): each cell's count is a soft blob of alpha, the alpha is
// then coloured through a blue → green → yellow → red ramp. Redrawn when the map stops moving.
import L from 'leaflet';

/** [lat, lng, weight] in the map's coordinates. */
export type HeatPoint = [number, number, number];

const RAMP = (() => {
  const canvas = document.createElement('canvas');
  canvas.width = 256;
  canvas.height = 1;
  const ctx = canvas.getContext('2d')!;
  const gradient = ctx.createLinearGradient(0, 0, 256, 0);
  gradient.addColorStop(0.1, '#2f54eb');
  gradient.addColorStop(0.35, '#13c2c2');
  gradient.addColorStop(0.55, '#52c41a');
  gradient.addColorStop(0.75, '#fadb14');
  gradient.addColorStop(1, '#f5222d');
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, 256, 1);
  return ctx.getImageData(0, 0, 256, 1).data;
})();

export class HeatLayer extends L.Layer {
  private canvas: HTMLCanvasElement | null = null;
  private points: HeatPoint[] = [];
  /** the radius of a blob in metres (about a cell's size) */
  private radiusM = 100;

  setData(points: HeatPoint[], radiusM: number): this {
    this.points = points;
    this.radiusM = radiusM;
    this.redraw();
    return this;
  }

  override onAdd(map: L.Map): this {
    this.canvas = L.DomUtil.create('canvas', 'leaflet-zoom-hide') as HTMLCanvasElement;
    this.canvas.style.pointerEvents = 'none';
    map.getPanes().overlayPane.appendChild(this.canvas);
    map.on('moveend zoomend resize', this.redraw, this);
    this.redraw();
    return this;
  }

  override onRemove(map: L.Map): this {
    map.off('moveend zoomend resize', this.redraw, this);
    this.canvas?.remove();
    this.canvas = null;
    return this;
  }

  private redraw(): void {
    const map = this._map as L.Map | undefined;
    const canvas = this.canvas;
    if (!map || !canvas) return;
    const size = map.getSize();
    canvas.width = size.x;
    canvas.height = size.y;
    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
    const ctx = canvas.getContext('2d');
    if (!ctx || this.points.length === 0) return;
    const center = map.getCenter();
    const metresPerPixel = (40075016.686 * Math.cos((center.lat * Math.PI) / 180)) / 2 ** (map.getZoom() + 8);
    const radius = Math.max(8, Math.min(60, (this.radiusM / metresPerPixel) * 1.6));
    const max = Math.max(...this.points.map((p) => p[2]));
    for (const [lat, lng, weight] of this.points) {
      const p = map.latLngToContainerPoint([lat, lng]);
      if (p.x < -radius || p.y < -radius || p.x > size.x + radius || p.y > size.y + radius) continue;
      const g = ctx.createRadialGradient(p.x, p.y, 0, p.x, p.y, radius);
      const alpha = 0.25 + 0.75 * Math.sqrt(weight / max);
      g.addColorStop(0, `rgba(0,0,0,${alpha})`);
      g.addColorStop(1, 'rgba(0,0,0,0)');
      ctx.fillStyle = g;
      ctx.fillRect(p.x - radius, p.y - radius, radius * 2, radius * 2);
    }
    // colour the accumulated alpha through the ramp
    const image = ctx.getImageData(0, 0, size.x, size.y);
    const data = image.data;
    for (let i = 3; i < data.length; i += 4) {
      const a = data[i]!;
      if (a === 0) continue;
      const j = Math.min(255, a) * 4;
      data[i - 3] = RAMP[j]!;
      data[i - 2] = RAMP[j + 1]!;
      data[i - 1] = RAMP[j + 2]!;
      data[i] = Math.min(220, a + 40);
    }
    ctx.putImageData(image, 0, 0);
  }
}
