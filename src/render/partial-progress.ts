/**
 * The "partial i of n" a progress message shows. With n > 1 the images stream their partials in turn (image 1's
 * 0 and 1, then image 2's 0 and 1), and a coalescing renderer skips frames: the number shown is the furthest
 * partial the job has reached, so it never goes back from "2 of 2" to "1 of 2".
 */
export class PartialProgress {
  private reached = 0;

  /** @param expected partials per image, 0 when unknown. */
  constructor(private readonly expected: number) {}

  /** The label once partial `index` (0-based, as the engine numbers it) arrives: `2 of 2`, or `2`. */
  label(index: number): string {
    this.reached = Math.max(this.reached, index + 1);
    return this.expected > 0 ? `${this.reached} of ${this.expected}` : String(this.reached);
  }
}
