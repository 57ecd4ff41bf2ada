// Generates packages/ocpp/src/generated/{v16,v201,v21}.ts from the OCA JSON schemas shipped by typed-ocpp.
//
//   node packages/ocpp/scripts/generate.mjs           write the files
//   node packages/ocpp/scripts/generate.mjs --check   regenerate in memory; exit 1 and list the files that differ
//
// The output is deterministic: everything is sorted by name (code-unit order) and nothing depends on the time,
// the working directory or the machine.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const scriptDir = dirname(fileURLToPath(import.meta.url));
const packageDir = resolve(scriptDir, '..');
const outDir = join(packageDir, 'src', 'generated');
const repoDir = resolve(packageDir, '..', '..');
const require = createRequire(import.meta.url);

const VERSIONS = [
  { file: 'v16.ts', dir: 'ocpp16', label: '1.6', protocol: 'ocpp1.6' },
  { file: 'v201.ts', dir: 'ocpp20', label: '2.0.1', protocol: 'ocpp2.0.1' },
  { file: 'v21.ts', dir: 'ocpp21', label: '2.1', protocol: 'ocpp2.1' },
];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Code-unit comparison, so the order never depends on the locale or the ICU build. */
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function quote(value) {
  return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

function key(name) {
  return IDENTIFIER.test(name) ? name : quote(name);
}

function pascal(name) {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** First paragraph of a description, as JSDoc lines (or null). */
function docLines(description) {
  if (typeof description !== 'string') return null;
  const text = description.replace(/\r\n?/g, '\n').trim();
  if (!text) return null;
  const first = text.split(/\n[ \t]*\n/)[0].trim();
  const lines = first.split('\n').map((line) => line.trim().replace(/\*\//g, '*\\/'));
  return lines;
}

function jsdoc(description, indent) {
  const lines = docLines(description);
  if (!lines) return '';
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((line) => `${indent} *${line ? ` ${line}` : ''}`).join('\n')}\n${indent} */\n`;
}

function refName(ref) {
  const match = /^#\/definitions\/(.+)$/.exec(ref);
  if (!match) throw new Error(`unsupported $ref ${ref}`);
  return match[1];
}

function isObjectSchema(schema) {
  return schema.type === 'object' || (schema.type === undefined && schema.properties !== undefined);
}

function generateVersion(version, schemas, typedOcppVersion) {
  const exportNames = Object.keys(schemas).sort(compare);
  const definitions = schemas[exportNames[0]].definitions ?? {};
  for (const name of exportNames) {
    if ((schemas[name].definitions ?? {}) !== definitions) {
      throw new Error(`${version.dir}: ${name} does not share the version's definitions object`);
    }
  }

  // Actions: every XRequest with a matching XResponse. Anything else is a top-level payload without an action.
  const requests = new Set(exportNames.filter((n) => n.endsWith('Request')).map((n) => n.slice(0, -7)));
  const responses = new Set(exportNames.filter((n) => n.endsWith('Response')).map((n) => n.slice(0, -8)));
  const actions = [...requests].filter((a) => responses.has(a)).sort(compare);
  const actionSchemas = new Set(actions.flatMap((a) => [`${a}Request`, `${a}Response`]));
  const standalone = exportNames.filter((n) => !actionSchemas.has(n));

  const names = new Map(); // name -> what claimed it, to catch collisions
  function claim(name, what) {
    if (!IDENTIFIER.test(name)) throw new Error(`${version.dir}: ${what} gives invalid name ${name}`);
    if (names.has(name))
      throw new Error(`${version.dir}: name ${name} used by ${names.get(name)} and ${what}`);
    names.set(name, what);
  }

  const enums = []; // { name, values, inline }
  const interfaces = []; // { name, schema, section }

  for (const [name, def] of Object.entries(definitions)) {
    if (Array.isArray(def.enum)) {
      claim(name, `definition ${name}`);
      enums.push({ name, values: def.enum, inline: false });
    } else if (isObjectSchema(def)) {
      claim(name, `definition ${name}`);
      interfaces.push({ name, schema: def, section: 'datatypes' });
    } else {
      throw new Error(`${version.dir}: unsupported definition ${name}: ${JSON.stringify(def)}`);
    }
  }

  // Walk every object schema, naming inline enums and inline objects after their parent and property.
  const typeOf = new Map(); // schema object -> TypeScript type expression
  function visit(schema, name, where, section) {
    if (schema.$ref !== undefined) {
      const target = refName(schema.$ref);
      if (!(target in definitions)) throw new Error(`${where}: dangling $ref ${schema.$ref}`);
      return target;
    }
    if (Array.isArray(schema.enum)) {
      if (schema.type !== undefined && schema.type !== 'string') throw new Error(`${where}: non-string enum`);
      claim(name, `inline enum at ${where}`);
      enums.push({ name, values: schema.enum, inline: true });
      return name;
    }
    switch (schema.type) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'array': {
        if (schema.items === undefined || Array.isArray(schema.items)) return 'unknown[]';
        const item = visit(schema.items, name, `${where}[]`, section);
        return /^[A-Za-z0-9_$]+$/.test(item) ? `${item}[]` : `(${item})[]`;
      }
      case 'object':
        claim(name, `inline object at ${where}`);
        interfaces.push({ name, schema, section });
        walkObject(schema, name, where, section);
        return name;
      case undefined:
        if (schema.properties !== undefined) {
          claim(name, `inline object at ${where}`);
          interfaces.push({ name, schema, section });
          walkObject(schema, name, where, section);
          return name;
        }
        return 'unknown';
      default:
        throw new Error(`${where}: unsupported type ${JSON.stringify(schema.type)}`);
    }
  }
  function walkObject(schema, name, where, section) {
    for (const req of schema.required ?? []) {
      if (!(req in (schema.properties ?? {}))) throw new Error(`${where}: required ${req} is not a property`);
    }
    for (const [prop, propSchema] of Object.entries(schema.properties ?? {})) {
      typeOf.set(propSchema, visit(propSchema, `${name}${pascal(prop)}`, `${where}.${prop}`, section));
    }
  }

  for (const { name, schema } of [...interfaces])
    walkObject(schema, name, `definitions.${name}`, 'datatypes');
  for (const exportName of exportNames) {
    const { definitions: _shared, ...schema } = schemas[exportName];
    if (!isObjectSchema(schema)) throw new Error(`${version.dir}: ${exportName} is not an object schema`);
    claim(exportName, `message ${exportName}`);
    interfaces.push({ name: exportName, schema, section: 'messages' });
    walkObject(schema, exportName, exportName, 'messages');
  }

  // Identical inline enums (same values in the same order) are emitted once, under the first name in sorted order.
  const byValues = new Map();
  for (const e of enums.filter((x) => x.inline).sort((a, b) => compare(a.name, b.name))) {
    const k = JSON.stringify(e.values);
    if (byValues.has(k)) byValues.get(k).push(e.name);
    else byValues.set(k, [e.name]);
  }
  const aliases = new Map(); // alias -> canonical
  for (const group of byValues.values()) for (const alias of group.slice(1)) aliases.set(alias, group[0]);

  let out = '';
  out +=
    `// Generated by packages/ocpp/scripts/generate.mjs from typed-ocpp@${typedOcppVersion} ` +
    `(the OCA JSON schemas for OCPP ${version.label}). Do not edit; run \`npm run generate -w packages/ocpp\`.\n`;

  out += '\n// Enumerations\n';
  for (const e of enums.sort((a, b) => compare(a.name, b.name))) {
    out += '\n';
    if (aliases.has(e.name)) {
      out += `export type ${e.name} = ${aliases.get(e.name)};\n`;
      continue;
    }
    if (new Set(e.values).size !== e.values.length)
      throw new Error(`${version.dir}: ${e.name} repeats a value`);
    const members = e.values.map((v) => `  ${key(v)}: ${quote(v)},`).join('\n');
    out += `export const ${e.name} = {\n${members}\n} as const;\n`;
    out += `export type ${e.name} = (typeof ${e.name})[keyof typeof ${e.name}];\n`;
  }

  function emitInterface({ name, schema }) {
    const required = new Set(schema.required ?? []);
    const props = Object.entries(schema.properties ?? {});
    let text = '\n' + jsdoc(schema.description, '');
    if (props.length === 0 && schema.additionalProperties !== false) {
      return `${text}export interface ${name} {\n  [key: string]: unknown;\n}\n`;
    }
    // An empty message that allows no properties: the never-typed index signature rejects any key.
    if (props.length === 0) return `${text}export interface ${name} {\n  [key: string]: never;\n}\n`;
    text += `export interface ${name} {\n`;
    for (const [prop, propSchema] of props) {
      text += jsdoc(propSchema.description, '  ');
      text += `  ${key(prop)}${required.has(prop) ? '' : '?'}: ${typeOf.get(propSchema)};\n`;
    }
    // Open objects (CustomDataType) carry vendor extensions beside their declared properties.
    if (schema.additionalProperties !== false) text += '  [key: string]: unknown;\n';
    return `${text}}\n`;
  }

  // Inline objects are listed with the definitions or messages they were found in.
  const sorted = interfaces.sort((a, b) => compare(a.name, b.name));
  const datatypes = sorted.filter((i) => i.section === 'datatypes');
  const messages = sorted.filter((i) => i.section === 'messages');

  out += '\n// Datatypes\n';
  for (const i of datatypes) out += emitInterface(i);
  out += '\n// Messages\n';
  for (const i of messages) out += emitInterface(i);

  out += '\n// Actions\n\n';
  out += 'export interface ActionMap {\n';
  for (const a of actions) out += `  ${a}: { request: ${a}Request; response: ${a}Response };\n`;
  out += '}\n\n';
  out += 'export type Action = keyof ActionMap;\n\n';
  out += `export const actions = [\n${actions.map((a) => `  ${quote(a)},`).join('\n')}\n] as const satisfies readonly Action[];\n\n`;
  // OCPP 2.1 SEND messages (2.1 Part 4 §4.2.5) have a payload schema and no response.
  out += '// Unconfirmed messages (SEND frames, OCPP 2.1 only)\n\n';
  if (standalone.length === 0)
    out +=
      '// biome-ignore lint/complexity/noBannedTypes: this version has no SEND messages\nexport type SendMap = {};\n\n';
  else {
    out += 'export interface SendMap {\n';
    for (const name of [...standalone].sort(compare)) out += `  ${name}: ${name};\n`;
    out += '}\n\n';
  }
  out += `export const protocol = ${quote(version.protocol)} as const;\n`;

  return {
    content: out,
    report: {
      version: version.label,
      actions: actions.length,
      standalone,
      enums: enums.length - aliases.size,
      aliases: [...aliases].map(([a, c]) => `${a} = ${c}`),
      interfaces: interfaces.length,
    },
  };
}

async function main() {
  const check = process.argv.includes('--check');
  const pkgJsonPath = require.resolve('typed-ocpp/package.json');
  const typedOcppVersion = JSON.parse(readFileSync(pkgJsonPath, 'utf8')).version;
  const typedOcppDir = dirname(pkgJsonPath);

  const differing = [];
  for (const version of VERSIONS) {
    const schemas = await import(pathToFileURL(join(typedOcppDir, 'dist', version.dir, 'schemas.js')).href);
    const { content, report } = generateVersion(version, schemas, typedOcppVersion);
    const target = join(outDir, version.file);
    const shown = relative(repoDir, target);
    if (check) {
      let current = null;
      try {
        current = readFileSync(target, 'utf8');
      } catch {}
      if (current !== content) differing.push(shown);
    } else {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(target, content);
      const extra = report.standalone.length ? `; not actions: ${report.standalone.join(', ')}` : '';
      console.log(
        `generate: ${shown}: OCPP ${report.version}, ${report.actions} actions, ${report.interfaces} interfaces, ` +
          `${report.enums} enums, ${report.aliases.length} enum aliases${extra}`,
      );
    }
  }
  if (check) {
    if (differing.length) {
      console.error(`generate --check: out of date (run \`npm run generate -w packages/ocpp\`):`);
      for (const file of differing) console.error(`  ${file}`);
      process.exit(1);
    }
    console.log('generate --check: up to date');
  }
}

await main();
