// The AsyncAPI check of the build (README, "Protocol description"). Two steps, both run by Maven (pom.xml):
//
//   node validate.mjs document <asyncapi.yaml> [--reset-frames <dir>]
//       test phase: @asyncapi/parser validates the document (the specification's schemas and its rule set);
//       any diagnostic of severity error fails. Every message example must also match its own payload schema.
//       --reset-frames empties the folder the ITs record into, so the frames step sees this run's frames only.
//
//   node validate.mjs frames <asyncapi.yaml> <dir>
//       post-integration-test: every server frame the ITs recorded (<dir>/<channel>.jsonl, written by
//       src/test/java/dev/switchboard/it/ReceivedFrames.java) must match the payload schema of a message the
//       server sends on that channel, found by the channel's x-discriminator field. A frame that matches no
//       message, or fails its schema, fails the build and is printed with the validator's errors.
//
// Exit codes: 0 fine, 1 the document or a frame is wrong, 2 usage or I/O.

import parserPackage from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';

const { Parser, DiagnosticSeverity } = parserPackage;
const ERROR = DiagnosticSeverity?.Error ?? 0;
const SEVERITY = ['error', 'warning', 'info', 'hint'];
const MAX_REPORTED = 40;

function usage(message) {
    console.error(`asyncapi: ${message}\nusage: node validate.mjs document <asyncapi.yaml> [--reset-frames <dir>]\n`
        + '       node validate.mjs frames <asyncapi.yaml> <dir>');
    process.exit(2);
}

/** Parses and validates the document; exits 1 on an error diagnostic. */
async function parse(path) {
    const text = readFileSync(path, 'utf8');
    const { document, diagnostics } = await new Parser().parse(text, { source: path });
    let errors = 0;
    for (const d of diagnostics) {
        const where = d.path && d.path.length ? d.path.join('.') : '(document)';
        const line = d.range ? `:${d.range.start.line + 1}` : '';
        console.log(`asyncapi: ${SEVERITY[d.severity] ?? d.severity} ${d.code} at ${where}${line}: ${d.message}`);
        if (d.severity === ERROR) {
            errors++;
        }
    }
    if (errors > 0 || !document) {
        console.error(`asyncapi: ${path} is not a valid AsyncAPI document (${errors} error(s))`);
        process.exit(1);
    }
    return document;
}

/** The parser marks every schema with x-parser-* keys; they are not JSON Schema, so Ajv's strict mode would refuse them. */
function plain(schema) {
    if (Array.isArray(schema)) {
        return schema.map(plain);
    }
    if (schema === null || typeof schema !== 'object') {
        return schema;
    }
    const out = {};
    for (const [key, value] of Object.entries(schema)) {
        if (!key.startsWith('x-parser-')) {
            out[key] = plain(value);
        }
    }
    return out;
}

function newAjv() {
    // AsyncAPI 3's default schema format is a superset of JSON Schema draft-07, which is Ajv's default dialect
    // strict: unknown keywords and type-less object keywords are errors; `required` may name a sibling schema's property
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats(ajv);
    return ajv;
}

/** The schema of the discriminator field in a payload schema: its properties.<field>, also inside allOf. */
function discriminatorSchema(schema, field) {
    if (schema?.properties?.[field]) {
        return schema.properties[field];
    }
    const parts = (schema?.allOf ?? []).map(s => discriminatorSchema(s, field)).filter(Boolean);
    return parts.length === 0 ? null : parts.length === 1 ? parts[0] : { allOf: parts };
}

function formatErrors(errors) {
    return (errors ?? []).slice(0, 8)
        .map(e => `      ${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`)
        .join('\n');
}

function clip(text, max = 1500) {
    return text.length <= max ? text : text.slice(0, max) + `... (${text.length} chars)`;
}

/** Every message example must match its own payload schema. */
function checkExamples(document, ajv) {
    let checked = 0;
    const failures = [];
    for (const message of document.allMessages()) {
        const payload = message.payload();
        if (!payload || message.contentType() === 'application/octet-stream') {
            continue;
        }
        const validate = ajv.compile(plain(payload.json()));
        for (const example of message.examples()) {
            if (!example.hasPayload()) {
                continue;
            }
            checked++;
            if (!validate(example.payload())) {
                failures.push(`  message ${message.id()} example "${example.name() ?? '?'}":\n${formatErrors(validate.errors)}`);
            }
        }
    }
    return { checked, failures };
}

/** Per channel: its discriminator field and the messages the server sends on it, compiled. */
function serverMessages(document, ajv) {
    const channels = new Map();
    for (const channel of document.channels()) {
        const discriminator = channel.extensions().get('x-discriminator')?.value();
        if (!discriminator) {
            throw new Error(`channel ${channel.id()} has no x-discriminator`);
        }
        const messages = [];
        const seen = new Set();
        for (const operation of channel.operations()) {
            if (!operation.isSend()) {
                continue;
            }
            for (const message of operation.messages()) {
                if (seen.has(message.id()) || message.contentType() === 'application/octet-stream') {
                    continue;
                }
                seen.add(message.id());
                const schema = plain(message.payload().json());
                const disc = discriminatorSchema(schema, discriminator);
                if (!disc) {
                    throw new Error(`message ${message.id()} of channel ${channel.id()} has no '${discriminator}' property`);
                }
                messages.push({
                    id: message.id(),
                    name: message.name(),
                    sent: message.extensions().get('x-switchboard-sent')?.value() !== false,
                    matches: ajv.compile(disc),
                    validate: ajv.compile(schema),
                    count: 0,
                });
            }
        }
        channels.set(channel.id(), { discriminator, messages });
    }
    return channels;
}

function checkFrames(document, ajv, dir) {
    if (!existsSync(dir)) {
        console.log(`asyncapi: no frames recorded in ${dir} (no integration test connected a client: skipped, or none got a server); nothing to check`);
        return 0;
    }
    const channels = serverMessages(document, ajv);
    const failures = [];
    let total = 0;
    for (const file of readdirSync(dir).filter(f => f.endsWith('.jsonl')).sort()) {
        const id = basename(file, '.jsonl');
        const channel = channels.get(id);
        if (!channel) {
            failures.push(`  ${file}: no channel '${id}' in the document`);
            continue;
        }
        let frames = 0;
        for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
            if (!line.trim()) {
                continue;
            }
            const record = JSON.parse(line);
            frames++;
            let frame;
            try {
                frame = JSON.parse(record.text);
            } catch (e) {
                failures.push(`  ${id} frame is not JSON (${record.test ?? '?'}):\n    ${clip(record.text)}`);
                continue;
            }
            const value = frame?.[channel.discriminator];
            const candidates = channel.messages.filter(m => m.matches(value));
            if (candidates.length === 0) {
                failures.push(`  ${id} frame matches no message the server sends (${channel.discriminator}=${JSON.stringify(value)}; ${record.test ?? '?'}):\n    ${clip(record.text)}`);
                continue;
            }
            const passed = candidates.find(m => m.validate(frame));
            if (passed) {
                passed.count++;
                continue;
            }
            const why = candidates.map(m => { m.validate(frame); return `    against ${m.id}:\n${formatErrors(m.validate.errors)}`; }).join('\n');
            failures.push(`  ${id} frame fails its schema (${record.test ?? '?'}):\n    ${clip(record.text)}\n${why}`);
        }
        total += frames;
        const seen = channel.messages.filter(m => m.count > 0).map(m => `${m.id}×${m.count}`);
        const unseen = channel.messages.filter(m => m.count === 0 && m.sent).map(m => m.id);
        console.log(`asyncapi: ${id}: ${frames} frame(s) checked; ${seen.join(', ')}`);
        if (unseen.length) {
            console.log(`asyncapi: ${id}: not seen in this run: ${unseen.join(', ')}`);
        }
    }
    if (failures.length > 0) {
        console.error(`asyncapi: ${failures.length} recorded frame(s) do not match ${basename(process.argv[3])}:`);
        console.error(failures.slice(0, MAX_REPORTED).join('\n'));
        if (failures.length > MAX_REPORTED) {
            console.error(`  ... and ${failures.length - MAX_REPORTED} more`);
        }
        return 1;
    }
    console.log(`asyncapi: all ${total} recorded frame(s) match their message schemas`);
    return 0;
}

async function main() {
    const [mode, path, ...rest] = process.argv.slice(2);
    if (!mode || !path) {
        usage('missing arguments');
    }
    if (!existsSync(path)) {
        usage(`no such file: ${path}`);
    }
    const document = await parse(path);
    const ajv = newAjv();
    if (mode === 'document') {
        const { checked, failures } = checkExamples(document, ajv);
        if (failures.length > 0) {
            console.error(`asyncapi: ${failures.length} message example(s) do not match their schema:\n${failures.join('\n')}`);
            process.exit(1);
        }
        const reset = rest.indexOf('--reset-frames');
        if (reset >= 0) {
            const dir = rest[reset + 1] ?? usage('--reset-frames needs a folder');
            rmSync(dir, { recursive: true, force: true });
        }
        console.log(`asyncapi: ${path} is valid AsyncAPI ${document.version()}: ${document.channels().length} channels, `
            + `${document.operations().length} operations, ${document.allMessages().length} messages, ${checked} examples match`);
        return 0;
    }
    if (mode === 'frames') {
        return checkFrames(document, ajv, rest[0] ?? usage('frames needs the folder of recorded frames'));
    }
    usage(`unknown mode ${mode}`);
}

main().then(code => process.exit(code ?? 0), e => {
    console.error(`asyncapi: ${e.stack ?? e}`);
    process.exit(2);
});
