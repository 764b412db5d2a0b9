import type { EditRegionLink, ReturnPlace } from "../links/edit-region-link.js";
import type { IntakeRequest } from "./intake-request.js";

/**
 * A chat platform's way back from the web studio (Edit region): `intake` goes through the one intake with a
 * port posting its status into the place's chat thread, so the worker renders it there as any turn, with its
 * buttons. The platform adds the thread it posts in when `intake.thread` names none.
 */
export interface ChatReturn {
  /**
   * `link.place` is where it goes back to, `link.runId` the result it edits.
   * @returns the run, and where it went as the page says it ("your Discord thread").
   */
  submit(link: EditRegionLink, intake: IntakeRequest): Promise<{ runId: string; postedTo: string }>;
}

/** Each running chat platform's way back, filled by the platforms as they start. */
export type ChatReturns = Map<ReturnPlace["platform"], ChatReturn>;
