// The way from an automated refusal to why it was made and to a person's review (PIPL art. 24).
import { Action, Actions } from '../action'

export function ExplainLink({ onTap }: { onTap: () => void }) {
  return (
    <Actions>
      <Action label="查看决定原因 / 申请人工复核" onTap={onTap} />
    </Actions>
  )
}
