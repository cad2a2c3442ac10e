// House lint rules. `guarded-endpoints`: every route handler of an HTTP controller
// (a method decorated with @Get/@Post/@Put/@Patch/@Delete) must declare who may call it,
// with @Roles(...) or an explicit @Public() — so no endpoint is open by accident.
const ROUTE = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete']);
const GUARD = new Set(['Roles', 'Public']);

function decoratorName(d) {
  const e = d.expression;
  if (e.type === 'CallExpression' && e.callee.type === 'Identifier') return e.callee.name;
  if (e.type === 'Identifier') return e.name;
  return undefined;
}

module.exports = {
  rules: {
    'guarded-endpoints': {
      meta: { type: 'problem', messages: { unguarded: 'HTTP endpoint {{name}} must declare @Roles(...) or @Public()' }, schema: [] },
      create(context) {
        return {
          MethodDefinition(node) {
            const names = (node.decorators || []).map(decoratorName);
            if (!names.some((n) => ROUTE.has(n))) return;
            const classNames = (node.parent.parent.decorators || []).map(decoratorName);
            if (names.some((n) => GUARD.has(n)) || classNames.some((n) => GUARD.has(n))) return;
            context.report({ node, messageId: 'unguarded', data: { name: node.key.name } });
          },
        };
      },
    },
  },
};
