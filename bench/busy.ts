import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { availableParallelism } from "node:os";

/** Processes that keep every core busy while they run: the load of a host the bot shares. */
export interface CoreBurners {
  stop(): Promise<void>;
}

/**
 * One plain CPU burner per core (`node -e` spinning), at normal priority, as another program on the same host
 * would be: the bot, its Redis, the fakes and the floors' bare programs all compete with it for the cores.
 * Resolves once every burner runs. The bench process itself is one of the competitors: its stamps are late
 * by as much as it waits for a core, which the log's event-loop delay shows.
 */
export async function burnEveryCore(): Promise<CoreBurners> {
  const burners: ChildProcess[] = [];
  for (let core = 0; core < availableParallelism(); core++) {
    const burner = spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" });
    burners.push(burner);
    await once(burner, "spawn");
  }
  return {
    async stop() {
      await Promise.all(
        burners.map(async (burner) => {
          if (burner.exitCode !== null || burner.signalCode !== null) return;
          const exited = once(burner, "exit");
          burner.kill("SIGKILL");
          await exited;
        }),
      );
    },
  };
}
