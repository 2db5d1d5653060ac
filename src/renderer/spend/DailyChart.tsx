import type { DaySpend } from '../../shared/history';
import { formatCost } from '../components/format';
import { niceMax } from './spend-days';
import { useElementWidth } from '../hooks/use-element-width';

/** Until the chart's box is measured (and where it cannot be): its width at 1440 px. */
const DEFAULT_WIDTH = 640;
const HEIGHT = 180;
const LEFT = 48;
const BOTTOM = 22;
const TOP = 8;

/**
 * Cost per day as bars (plain SVG: a handful of rectangles and labels needs no chart library). Each bar
 * says its day and amount on hover and to a screen reader; the days are labelled every week. Drawn at the width of its
 * box, one unit a pixel: scaled from a fixed width, its labels would be 6 px high in a window 1024 px wide.
 */
export function DailyChart({ days }: { days: readonly DaySpend[] }) {
  const [box, measured] = useElementWidth<HTMLDivElement>();
  const WIDTH = measured > 0 ? measured : DEFAULT_WIDTH;
  const max = niceMax(Math.max(0, ...days.map((d) => d.total_cost)));
  const plotWidth = WIDTH - LEFT - 4;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(1, days.length);
  const total = days.reduce((sum, d) => sum + d.total_cost, 0);
  const label = `Cost by day, ${days[0]?.date ?? ''} to ${days[days.length - 1]?.date ?? ''}: ${formatCost(total)} in all`;
  return (
    <div ref={box}>
      <svg className="spend-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
        {[0, 0.5, 1].map((f) => {
          const y = TOP + plotHeight * (1 - f);
          return (
            <g key={f}>
              <line className="chart-grid" x1={LEFT} x2={WIDTH - 4} y1={y} y2={y} />
              <text className="chart-axis" x={LEFT - 6} y={y + 4} textAnchor="end">
                {formatCost(max * f)}
              </text>
            </g>
          );
        })}
        {days.map((day, i) => {
          const height = (day.total_cost / max) * plotHeight;
          const x = LEFT + i * slot + slot * 0.15;
          return (
            <g key={day.date}>
              <rect
                className="chart-bar"
                data-date={day.date}
                x={x}
                y={TOP + plotHeight - height}
                width={slot * 0.7}
                height={Math.max(height, 0)}
              >
                <title>{`${day.date}: ${formatCost(day.total_cost)}, ${day.task_count} tasks, ${day.run_count} runs`}</title>
              </rect>
              {(i % 7 === days.length % 7 || i === days.length - 1) && (
                // The last day's label ends at the plot's edge: centred under its bar, half of it was cut off.
                <text
                  className="chart-axis"
                  x={i === days.length - 1 ? WIDTH - 4 : LEFT + i * slot + slot / 2}
                  y={HEIGHT - 6}
                  textAnchor={i === days.length - 1 ? 'end' : 'middle'}
                >
                  {day.date.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
