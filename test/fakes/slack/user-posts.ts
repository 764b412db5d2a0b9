import { type FakeFileObject, type FakeMessage, type FakeSlackState, fileObject, nextTs } from "./state.js";

/** A file as a person gives it to Slack. */
export interface UserFile {
  name: string;
  bytes: Buffer;
  mimetype: string;
}

/** What a person posted: the message and its files, as events carry them. */
export interface UserPost {
  channel: string;
  user: string;
  text: string;
  thread_ts?: string;
  files?: UserFile[];
}

/** A person's file, processed at once, shared in `channel` or (a modal's `file_input`) nowhere. */
export function storeUserFile(state: FakeSlackState, upload: UserFile, channel?: string): FakeFileObject {
  const id = `F${String(state.files.size + 1).padStart(9, "0")}`;
  const file = {
    id,
    name: upload.name,
    bytes: upload.bytes,
    mimetype: upload.mimetype,
    completedAt: 0,
    shares: channel === undefined ? [] : [{ channel }],
  };
  state.files.set(id, file);
  return fileObject(state, file);
}

/** A message a person posted, its files already processed. */
export function postAsUser(
  state: FakeSlackState,
  input: UserPost,
): FakeMessage & { files: FakeFileObject[] } {
  const files = (input.files ?? []).map((upload) => storeUserFile(state, upload, input.channel));
  const message: FakeMessage = {
    channel: input.channel,
    ts: nextTs(state),
    ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
    user: input.user,
    text: input.text,
    files,
    history: [],
  };
  state.messages.push(message);
  return { ...message, files };
}
