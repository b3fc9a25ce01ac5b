import { runPushCli } from './push/cli-commands';

// Operator commands (`npm run steady -- …`): wiring only; the commands live in server/push/.
process.exitCode = await runPushCli(process.argv.slice(2), process.env, {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
