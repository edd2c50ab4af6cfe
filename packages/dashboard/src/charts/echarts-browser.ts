import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// Only what the dashboard's charts draw, so a browser bundle carries a fraction of ECharts. Loaded on the
// first chart (a dynamic import), so the page's text and numbers show before the library arrives.
use([BarChart, LineChart, ScatterChart, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, SVGRenderer]);

export { init };
export type { EChartsType } from 'echarts/core';
