import './charts.css';

export { LineChart, BarChart, type XYChartProps } from './XYChart.tsx';
export { Funnel, type FunnelProps, type FunnelStage } from './Funnel.tsx';
export { Legend, type Series } from './frame.tsx';
