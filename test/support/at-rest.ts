// What must never be found in a database file: every plaintext form of a person's identity and
// card, and every unkeyed hash or encoding of them that a row could be matched against offline.
import crypto from 'node:crypto'
import fs from 'node:fs'
import { certHash } from '../../server/wechat/face'

export interface Person {
  name: string
  idNumber: string
  mobile?: string
  card?: string
}

/** Each form with a label saying what it is, as the bytes that would be stored. */
export function identityForms(p: Person): Array<{ label: string; bytes: Buffer }> {
  const values: Record<string, string> = { name: p.name, idNumber: p.idNumber, idLower: p.idNumber.toLowerCase() }
  if (p.mobile) values.mobile = p.mobile
  if (p.card) values.card = p.card
  const joined = {
    'name+id': `${p.name}${p.idNumber}`,
    'id+name': `${p.idNumber}${p.name}`,
    'name|id': `${p.name}|${p.idNumber}`,
  }
  const forms: Array<{ label: string; bytes: Buffer }> = []
  const add = (label: string, text: string) => forms.push({ label, bytes: Buffer.from(text, 'utf8') })
  for (const [k, v] of Object.entries(values)) {
    add(`${k} (plain)`, v)
    add(`${k} (base64)`, Buffer.from(v, 'utf8').toString('base64'))
  }
  for (const [k, v] of Object.entries({ ...values, ...joined })) {
    for (const algo of ['sha256', 'sha1', 'md5', 'sha512']) {
      const hex = crypto.createHash(algo).update(v, 'utf8').digest('hex')
      add(`${algo}(${k})`, hex)
      add(`${algo}(${k}) upper`, hex.toUpperCase())
      add(`${algo}(${k}) base64`, crypto.createHash(algo).update(v, 'utf8').digest('base64'))
    }
  }
  const cert = certHash(p.name, p.idNumber)
  add('WeChat cert_hash', cert)
  add('WeChat cert_hash upper', cert.toUpperCase())
  return forms
}

/** The database file with its WAL and shared-memory file, as bytes (what a copy of the disk holds). */
export function databaseBytes(dbFile: string): Buffer {
  return Buffer.concat(
    [dbFile, `${dbFile}-wal`, `${dbFile}-shm`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)),
  )
}

/** The labels of every form of `people` found in `bytes`: empty when nothing is there. */
export function formsFound(bytes: Buffer, people: Person[]): string[] {
  return people.flatMap((p) =>
    identityForms(p)
      .filter((f) => bytes.includes(f.bytes))
      .map((f) => `${p.name}: ${f.label}`),
  )
}
