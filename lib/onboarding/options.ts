/**
 * Choices the profile form offers. Browser-safe: the form and the server read the same lists.
 */

/** SAM.gov set-aside codes (GSA Get Opportunities API v2, "Set-Aside Values"). */
export const SET_ASIDE_OPTIONS = [
  { code: "SBA", label: "Total Small Business (FAR 19.5)" },
  { code: "SBP", label: "Partial Small Business (FAR 19.5)" },
  { code: "8A", label: "8(a) set-aside" },
  { code: "8AN", label: "8(a) sole source" },
  { code: "HZC", label: "HUBZone set-aside" },
  { code: "HZS", label: "HUBZone sole source" },
  { code: "SDVOSBC", label: "Service-disabled veteran-owned (SDVOSB) set-aside" },
  { code: "SDVOSBS", label: "Service-disabled veteran-owned (SDVOSB) sole source" },
  { code: "WOSB", label: "Women-owned small business (WOSB) set-aside" },
  { code: "WOSBSS", label: "Women-owned small business (WOSB) sole source" },
  { code: "EDWOSB", label: "Economically disadvantaged WOSB set-aside" },
  { code: "EDWOSBSS", label: "Economically disadvantaged WOSB sole source" },
  { code: "VSA", label: "Veteran-owned small business (VA only)" },
  { code: "VSS", label: "Veteran-owned sole source (VA only)" },
  { code: "ISBEE", label: "Indian Small Business Economic Enterprise (ISBEE)" },
  { code: "IEE", label: "Indian Economic Enterprise (IEE)" },
] as const;

export const SET_ASIDE_CODES = SET_ASIDE_OPTIONS.map((o) => o.code) as unknown as [string, ...string[]];

/** Places of performance: the 50 states, DC and the territories SAM.gov uses. */
export const US_STATES = [
  { code: "AL", name: "Alabama" },
  { code: "AK", name: "Alaska" },
  { code: "AZ", name: "Arizona" },
  { code: "AR", name: "Arkansas" },
  { code: "CA", name: "California" },
  { code: "CO", name: "Colorado" },
  { code: "CT", name: "Connecticut" },
  { code: "DE", name: "Delaware" },
  { code: "DC", name: "District of Columbia" },
  { code: "FL", name: "Florida" },
  { code: "GA", name: "Georgia" },
  { code: "HI", name: "Hawaii" },
  { code: "ID", name: "Idaho" },
  { code: "IL", name: "Illinois" },
  { code: "IN", name: "Indiana" },
  { code: "IA", name: "Iowa" },
  { code: "KS", name: "Kansas" },
  { code: "KY", name: "Kentucky" },
  { code: "LA", name: "Louisiana" },
  { code: "ME", name: "Maine" },
  { code: "MD", name: "Maryland" },
  { code: "MA", name: "Massachusetts" },
  { code: "MI", name: "Michigan" },
  { code: "MN", name: "Minnesota" },
  { code: "MS", name: "Mississippi" },
  { code: "MO", name: "Missouri" },
  { code: "MT", name: "Montana" },
  { code: "NE", name: "Nebraska" },
  { code: "NV", name: "Nevada" },
  { code: "NH", name: "New Hampshire" },
  { code: "NJ", name: "New Jersey" },
  { code: "NM", name: "New Mexico" },
  { code: "NY", name: "New York" },
  { code: "NC", name: "North Carolina" },
  { code: "ND", name: "North Dakota" },
  { code: "OH", name: "Ohio" },
  { code: "OK", name: "Oklahoma" },
  { code: "OR", name: "Oregon" },
  { code: "PA", name: "Pennsylvania" },
  { code: "RI", name: "Rhode Island" },
  { code: "SC", name: "South Carolina" },
  { code: "SD", name: "South Dakota" },
  { code: "TN", name: "Tennessee" },
  { code: "TX", name: "Texas" },
  { code: "UT", name: "Utah" },
  { code: "VT", name: "Vermont" },
  { code: "VA", name: "Virginia" },
  { code: "WA", name: "Washington" },
  { code: "WV", name: "West Virginia" },
  { code: "WI", name: "Wisconsin" },
  { code: "WY", name: "Wyoming" },
  { code: "PR", name: "Puerto Rico" },
  { code: "GU", name: "Guam" },
  { code: "VI", name: "U.S. Virgin Islands" },
  { code: "AS", name: "American Samoa" },
  { code: "MP", name: "Northern Mariana Islands" },
] as const;

export const STATE_CODES = US_STATES.map((s) => s.code) as unknown as [string, ...string[]];

export function stateName(code: string): string {
  return US_STATES.find((s) => s.code === code)?.name ?? code;
}

export function setAsideLabel(code: string): string {
  return SET_ASIDE_OPTIONS.find((o) => o.code === code)?.label ?? code;
}
