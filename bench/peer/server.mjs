// The generic peer of bench/side_by_side.py: @neo4j/graphql 7 on graphql-yoga, with the library's
// defaults, read-only type definitions over Powermap's stored model (typedefs.graphql).
//   NEO4J_URI=bolt://127.0.0.1:7687 PORT=8091 node server.mjs
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { Neo4jGraphQL } from "@neo4j/graphql";
import { createYoga } from "graphql-yoga";
import neo4j from "neo4j-driver";

const {
  NEO4J_URI = "bolt://127.0.0.1:7687",
  NEO4J_USER = "neo4j",
  NEO4J_PASSWORD = "",
  NEO4J_DATABASE = "neo4j",
  HOST = "127.0.0.1",
  PORT = "8091",
} = process.env;

const auth = NEO4J_PASSWORD ? neo4j.auth.basic(NEO4J_USER, NEO4J_PASSWORD) : undefined;
const driver = neo4j.driver(NEO4J_URI, auth, { maxConnectionPoolSize: 100 });
const typeDefs = readFileSync(new URL("./typedefs.graphql", import.meta.url), "utf8");
const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
const schema = await neoSchema.getSchema();
// Fails fast when Neo4j is older than the library needs or lacks the APOC functions it calls.
await neoSchema.checkNeo4jCompat({ sessionConfig: { database: NEO4J_DATABASE } });

const yoga = createYoga({
  schema,
  graphiql: false,
  logging: false,
  context: () => ({ sessionConfig: { database: NEO4J_DATABASE } }),
});

const server = createServer(yoga);
server.listen(Number(PORT), HOST, () => console.log(`peer ready on http://${HOST}:${PORT}/graphql`));
const stop = () => server.close(() => driver.close().then(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
