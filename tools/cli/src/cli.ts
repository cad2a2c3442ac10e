import { exprCommand } from './expr.command';

const usage = `usage:
  idsync expr '<expression>' [--input '<json object of attribute values>']

examples:
  npx idsync expr 'Join(" ", [givenName], [sn])' --input '{"givenName":"Zoë","sn":"Ångström"}'
  npx idsync expr 'NormalizeDiacritics(ToLower([givenName]))' --input '{"givenName":"Zoë"}'`;

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === 'expr') {
    const i = rest.indexOf('--input');
    const input = i >= 0 ? rest[i + 1] : undefined;
    const expression = rest.filter((_, k) => k !== i && k !== i + 1 || i < 0)[0];
    if (!expression) {
      process.stderr.write(usage + '\n');
      return 2;
    }
    try {
      process.stdout.write(exprCommand(expression, input) + '\n');
      return 0;
    } catch (e) {
      const err = e as { code?: string; message: string };
      process.stderr.write(JSON.stringify({ error: { code: err.code ?? 'CLI.ERROR', message: err.message } }) + '\n');
      return 1;
    }
  }
  process.stderr.write(usage + '\n');
  return command ? 2 : 0;
}

process.exitCode = main(process.argv.slice(2));
