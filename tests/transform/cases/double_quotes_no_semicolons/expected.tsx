import { format } from "./format"
import { DFrame } from "@acme/dframe"

export function Price({ cents }: { cents: number }) {
  const [currency] = DFrame.useState("EUR")
  return <span>{format(cents, currency)}</span>
}
