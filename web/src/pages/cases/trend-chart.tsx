// The three rates over time as an ECharts line chart (only the parts used are bundled); a click on a point opens
// that period's cases for the rate clicked.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { TrendPoint } from './cases-api';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const SERIES = [
  { key: 'responseRate', measure: 'response', name: '响应率', color: '#c8161e' },
  { key: 'resolutionRate', measure: 'resolution', name: '解决率', color: '#1677ff' },
  { key: 'satisfactionRate', measure: 'satisfaction', name: '满意率', color: '#52c41a' },
] as const;

export type Measure = (typeof SERIES)[number]['measure'];

export function periodLabel(point: TrendPoint, interval: string): string {
  if (interval === 'month') return point.period.slice(0, 7);
  if (interval === 'week') return `${point.from.slice(5)}周`;
  return point.period.slice(5);
}

export function TrendChart({ items, interval, onPick }: { items: TrendPoint[]; interval: string; onPick: (point: TrendPoint, measure: Measure) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const pickRef = useRef(onPick);
  pickRef.current = onPick;
  const itemsRef = useRef(items);
  itemsRef.current = items;

  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    chartRef.current = chart;
    chart.on('click', (p) => {
      const point = itemsRef.current[p.dataIndex];
      const series = SERIES[p.seriesIndex ?? 0];
      if (point && series) pickRef.current(point, series.measure);
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => { window.removeEventListener('resize', resize); chart.dispose(); chartRef.current = null; };
  }, []);

  useEffect(() => {
    chartRef.current?.setOption({
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '—'),
      },
      legend: { data: SERIES.map((s) => s.name), top: 0 },
      grid: { left: 48, right: 24, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: items.map((p) => periodLabel(p, interval)), boundaryGap: false },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: SERIES.map((s) => ({
        name: s.name, type: 'line', smooth: false, symbolSize: 8, connectNulls: false, itemStyle: { color: s.color },
        data: items.map((p) => (p[s.key] === null ? null : Math.round(p[s.key]! * 1000) / 10)),
      })),
    }, true);
  }, [items, interval]);

  return <div ref={ref} style={{ height: 280, width: '100%' }} data-testid="case-trend-chart" />;
}
