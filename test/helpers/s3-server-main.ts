/**
 * s3rver in a process of its own, started by `startLocalS3` (test/helpers/s3-server.ts): it needs Node's
 * `--openssl-legacy-provider`, since s3rver 3.x encrypts ListObjectsV2 continuation tokens with DES, which
 * OpenSSL 3 only has there (in the test process every paged listing would fail with a 500).
 *
 * Arguments: the data folder. Prints `{"port":N}` once listening; ends when its standard input closes (the test
 * process ended, however it ended) or on SIGTERM.
 */
import S3rver from "s3rver";

const directory = process.argv[2];
if (directory === undefined) {
  process.stderr.write("usage: s3-server-main.ts DATA_DIR\n");
  process.exit(2);
}
const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);

const stop = () => void server.close().finally(() => process.exit(0));
process.stdin.on("close", stop).resume();
process.once("SIGTERM", stop);
