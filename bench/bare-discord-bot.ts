/**
 * The floor under `ack_floor_ms`: a discord.js client made as the bot makes its own (`createClient`, from the
 * same environment), that answers every interaction with a deferral and does nothing else: no Redis, no checks,
 * no jobs. A burst's acks from it are what discord.js, the loopback and the fake cost on this machine, without
 * the bot. Started by `npm run bench` as a process of its own.
 */
import { Events } from "discord.js";
import { loadConfig } from "../src/config/load.js";
import { connect, createClient } from "../src/platforms/discord/client.js";

const config = loadConfig().discord;
if (config === undefined) throw new Error("DISCORD_TOKEN is not set");
const client = createClient(config);
client.on(Events.InteractionCreate, (interaction) => {
  if (interaction.isRepliable())
    void interaction.deferReply().catch((error: unknown) => console.error(error));
});
await connect(client, config);
// A pino-shaped line, as the bench waits for the bot's own.
console.error(JSON.stringify({ level: 30, msg: "bare discord bot ready", pid: process.pid }));
process.once("SIGTERM", () => void client.destroy().finally(() => process.exit(0)));
