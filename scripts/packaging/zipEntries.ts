import { readFileSync } from 'node:fs';

// The central directory is read by hand: the zip readers in node_modules (yauzl, jszip) are only
// transitive dependencies of vsce and test-electron, without types, and a file list needs ~20 lines.
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
/** The end record is 22 bytes plus a comment of at most 65,535 bytes. */
const END_RECORD_SEARCH_BYTES = 22 + 0xffff;

/** The entry names of a zip file (a VSIX), in central-directory order; throws when it is not a zip. */
export function zipEntryNames(file: string): string[] {
  const zip = readFileSync(file);
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - END_RECORD_SEARCH_BYTES); at--) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error(`${file} is not a zip file: no end-of-central-directory record`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_FILE_HEADER)
      throw new Error(`${file}: central directory entry ${i} is damaged`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
