// The funnel's chart: ECharts with only the bar chart, its grid and tooltip, on canvas — loaded
// only when the merchants page draws a funnel.
import { useEffect, useRef } from 'react'
import * as echarts from 'echarts/core'
import { BarChart } from 'echarts/charts'
import { GridComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import { FUNNEL_STEPS, FUNNEL_STEP_NAMES, type Funnel } from '../../../src/api/console'

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer])

export default function FunnelChart({ funnel }: { funnel: Funnel }) {
  const el = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!el.current) return
    const chart = echarts.init(el.current)
    chart.setOption({
      animation: false,
      tooltip: {},
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      xAxis: { type: 'category', data: FUNNEL_STEPS.map((s) => FUNNEL_STEP_NAMES[s]) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: FUNNEL_STEPS.map((s) => funnel.totals[s]), itemStyle: { color: '#087a4c' } }],
    })
    return () => chart.dispose()
  }, [funnel])
  const summary = FUNNEL_STEPS.map((s) => `${FUNNEL_STEP_NAMES[s]} ${funnel.totals[s]}`).join('，')
  return <div ref={el} role="img" aria-label={`转化漏斗：${summary}`} style={{ height: 260 }} />
}
