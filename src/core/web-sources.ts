/** A page a web search found and the model used for a grounded image (`search`): listed under the result. */
export interface WebSource {
  url: string;
  /** The page's title, when the model cited it (`url_citation`); a search's own list gives only URLs. */
  title?: string;
}

/** Sources listed under a result at most: enough to check the facts, short enough for any platform's limits. */
export const MAX_LISTED_SOURCES = 5;
