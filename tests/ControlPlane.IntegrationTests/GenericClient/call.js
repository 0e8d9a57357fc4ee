// A generic gRPC client: it knows the API only through server reflection (no .proto file of ours) and prints a reply, or a
// failed call's status with every error detail decoded as JSON (buf curl prints those as base64). Exits 8 × the status code, as buf curl does.
// usage: node call.js HOST:PORT package.Service/Method '{json request}'
const grpc = require('@grpc/grpc-js');
const { GrpcReflection } = require('grpc-js-reflection-client');
const [target, path, body] = process.argv.slice(2);
const [service, method] = path.split('/');
const credentials = grpc.credentials.createInsecure();
const reflection = new GrpcReflection(target, credentials);
const typeOf = async name => (await reflection.getDescriptorBySymbol(name)).getProtobufJsRoot().lookupType(name);
const json = (type, message) => type.toObject(message, { enums: String, longs: String, defaults: false });
(async () => {
  const root = (await reflection.getDescriptorBySymbol(service)).getProtobufJsRoot();
  const rpc = root.lookupService(service).methods[method].resolve();
  const request = rpc.resolvedRequestType, response = rpc.resolvedResponseType;
  const client = new grpc.Client(target, credentials);
  client.makeUnaryRequest(`/${service}/${method}`, m => Buffer.from(request.encode(m).finish()), b => response.decode(b),
    request.fromObject(JSON.parse(body)), new grpc.Metadata(), async (error, reply) => {
      if (!error) { console.log(JSON.stringify(json(response, reply))); process.exit(0); }
      const raw = error.metadata.get('grpc-status-details-bin')[0];
      const statusType = await typeOf('google.rpc.Status');
      const status = raw ? statusType.decode(raw) : { message: error.details, details: [] };
      const details = [];
      for (const any of status.details) {
        const name = any.typeUrl ?? any.type_url;
        const type = await typeOf(name.substring(name.lastIndexOf('/') + 1));
        details.push({ '@type': name, ...json(type, type.decode(any.value)) });
      }
      console.error(JSON.stringify({ code: error.code, message: status.message, details }));
      process.exit(8 * error.code);
    });
})().catch(e => { console.error(e.stack ?? String(e)); process.exit(1); });
