/**
 * The service layer. THE RULE: routes (src/routes) change data only through a service here, and
 * never import the database, a query module's write, or another route's helpers; services open
 * with the permission check (`allow(actor, action)` in actor.ts), parse their zod schema
 * (../input.ts), write through `write()` (write.ts) and throw only AppError (../errors.ts).
 * routes-use-services.test.ts reads the route tree and fails when a route breaks the rule.
 *
 * A new feature: its schema and rules in services/<feature>.ts as verbNoun(actor, input); its SQL
 * in queries/<aggregate>.ts (site id first, access in the WHERE clause); its route a thin
 * form → service → result (forms.ts); a unit test beside the service, on both databases.
 */
export {};
