// The "before" side of each changed Unit's diff, fetched only for Units whose data changed. The
// response's RevisionID is the Revision the functions ran on, unless the call wrote a new one:
// - dry run, or nothing written (a failed element): that Revision's data is exactly the input;
// - written: the new Revision's predecessor (RevisionNum - 1) holds the data it replaced.
// Either way the diff shows what this call did, even if the Unit changed again since.
import pMap from "p-map";
import type { ConfnClient } from "./http-client.ts";
import { fromBase64 } from "../../engine/index.ts";
import { changed, type InvokeElement } from "./invoke-response.ts";
import { RemoteError } from "./remote-error.ts";

interface WireRevision {
  RevisionID: string;
  RevisionNum: number;
  Data: string;
}

/** Concurrent GETs: enough to hide latency, few enough not to crowd the server. */
const CONCURRENCY = 8;

export async function fetchPreviousData(
  client: ConfnClient,
  elements: readonly InvokeElement[],
  dryRun: boolean,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<Map<InvokeElement, string>> {
  const needed = elements.filter(changed);
  const previous = new Map<InvokeElement, string>();
  let done = 0;
  await pMap(
    needed,
    async (element) => {
      const written = !dryRun && element.Success;
      previous.set(element, written ? await replacedData(client, element) : await inputData(client, element));
      onProgress(++done, needed.length);
    },
    { concurrency: CONCURRENCY },
  );
  return previous;
}

function unitPath(element: InvokeElement): string {
  return `/space/${element.SpaceID}/unit/${element.UnitID}/revision`;
}

async function inputData(client: ConfnClient, element: InvokeElement): Promise<string> {
  const { Revision } = await client.get<{ Revision: WireRevision }>(
    `${unitPath(element)}/${element.RevisionID}`,
    `revision ${element.RevisionID} of unit ${element.SpaceSlug}/${element.UnitSlug}`,
  );
  return fromBase64(Revision.Data);
}

async function replacedData(client: ConfnClient, element: InvokeElement): Promise<string> {
  const what = `revisions of unit ${element.SpaceSlug}/${element.UnitSlug}`;
  const revisions = (await client.get<{ Revision: WireRevision }[]>(unitPath(element), what)).map(
    (entry) => entry.Revision,
  );
  const written = revisions.find((r) => r.RevisionID === element.RevisionID);
  const before = written && revisions.find((r) => r.RevisionNum === written.RevisionNum - 1);
  if (!before) {
    throw new RemoteError(
      "BAD_RESPONSE",
      `${what}: revision ${element.RevisionID} or the one before it is missing, so the change cannot be shown`,
    );
  }
  return fromBase64(before.Data);
}
