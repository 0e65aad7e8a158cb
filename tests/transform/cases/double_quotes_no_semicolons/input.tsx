import { useState } from "react"
import { format } from "./format"

export function Price({ cents }: { cents: number }) {
  const [currency] = useState("EUR")
  return <span>{format(cents, currency)}</span>
}
