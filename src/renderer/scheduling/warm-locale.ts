/**
 * The first number a thread writes in the person's locale (`toLocaleString`) loads that locale's data: 67 ms in a
 * blank page at load 7, and in the window it fell in the render that shows the first graph (the task total, 97–254 ms
 * tasks while a 10,000-task plan opened; 198 ms as background work on the page's thread before the snapshot). That
 * data is the process's, not the thread's: written once by the layout worker as it starts, the page's own first
 * number then takes a fraction of a millisecond (measured: 0.2–0.3 ms after a worker's, 52–78 ms without).
 */
export function warmLocale(): void {
  (0).toLocaleString();
}
