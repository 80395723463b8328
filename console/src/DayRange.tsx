// A period of China days, from and to (both included), as every dated page of the console asks for it.
export interface Days {
  from: string
  to: string
}

export function DayRange({ value, onChange }: { value: Days; onChange: (days: Days) => void }) {
  return (
    <>
      <label>
        从 <input type="date" value={value.from} onChange={(e) => onChange({ ...value, from: e.target.value })} />
      </label>
      <label>
        到 <input type="date" value={value.to} onChange={(e) => onChange({ ...value, to: e.target.value })} />
      </label>
    </>
  )
}
