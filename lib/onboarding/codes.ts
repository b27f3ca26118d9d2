// The codes the profile accepts, without their labels (./options.ts): the browser checks a
// profile against these, while the labelled lists reach the form as props from the server, so
// they are not part of the page's JavaScript. A test keeps both lists in step.

/** SAM.gov set-aside codes, in the order of SET_ASIDE_OPTIONS. */
export const SET_ASIDE_CODES: readonly [string, ...string[]] = ["SBA", "SBP", "8A", "8AN", "HZC", "HZS", "SDVOSBC", "SDVOSBS", "WOSB", "WOSBSS", "EDWOSB", "EDWOSBSS", "VSA", "VSS", "ISBEE", "IEE"];

/** The 50 states, DC and the territories, in the order of US_STATES. */
export const STATE_CODES: readonly [string, ...string[]] = [
  "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE",
  "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP",
];
