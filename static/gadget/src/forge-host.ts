import type { DashboardConfig, EvidencePage, Host, HostResult, MetricsPayload, OutcomeData, OutcomeRemoval, OutcomeUploadResult, SourceChoice } from '@agile-kpi/presentation';
import { viewOfModule } from '@agile-kpi/presentation';

/** The parts of `@forge/bridge` the host uses: passed in, so that tests can stand in for Forge. */
export interface Bridge {
  invoke(functionKey: string, payload: Record<string, unknown>): Promise<unknown>;
  /** `view.submit`: in a gadget's edit view, saves Jira's copy of the settings and closes the form. */
  submit(payload: unknown): Promise<void>;
}

/** What the host reads of `view.getContext()`. */
export interface GadgetContext {
  readonly moduleKey?: string;
  readonly extension?: { readonly entryPoint?: string };
}

/**
 * The dashboard's Host in a Jira dashboard gadget: each call is a resolver call over `@forge/bridge`
 * (`invoke`), answering what the resolver answers. The gadget's module key fixes the view; the `edit` entry
 * point shows the settings form, which `view.submit` closes after the settings are saved (the customer outcomes
 * gadget's form takes outcome files and settings too: `importOutcomes`, `outcomeData`, `saveOutcomeSettings`,
 * `removeOutcomeFile`, `saveServiceProjects`). A call that fails
 * on the way (the bridge, the network, Forge's own limits) becomes an error result: nothing throws into the UI.
 */
export function forgeHost(context: GadgetContext, bridge: Bridge): Host {
  const fixedView = viewOfModule(context.moduleKey);
  const editing = context.extension?.entryPoint === 'edit';
  const call = async <T>(name: string, payload: Record<string, unknown>): Promise<HostResult<T>> => {
    try {
      return await asResult<T>(await bridge.invoke(name, payload));
    } catch (err) {
      console.error(`agile-kpi: ${name} did not reach the app`, err);
      return { ok: false, error: { kind: 'network', message: `agile-kpi could not reach its Forge functions (${err instanceof Error ? err.message : String(err)}); reload the dashboard` } };
    }
  };
  return {
    kind: 'forge',
    ...(fixedView ? { fixedView } : {}),
    editing,
    getConfig: () => call<DashboardConfig>('getConfig', {}),
    async saveConfig(config) {
      const saved = await call<DashboardConfig>('saveConfig', { config });
      if (saved.ok && editing) {
        try {
          await bridge.submit(saved.data);
        } catch (err) {
          // Saved in the app's storage, which is what the gadget reads; Jira's copy can wait for the next save.
          console.warn('agile-kpi: the settings are saved, but Jira did not close the form', err);
        }
      }
      return saved;
    },
    listSources: () => call<readonly SourceChoice[]>('listSources', {}),
    loadMetrics: (config) => call<MetricsPayload>('loadMetrics', { config }),
    recordVerdict: (config, sprintId, verdict) => call<MetricsPayload>('recordVerdict', { config, sprintId, verdict }),
    loadEvidence: (config, kpi, page) => call<EvidencePage>('evidence', { config, kpi, page }),
    // The customer outcomes gadget's settings take the survey, usage and benefit files, kept with its board.
    // Their list, removal, the outcome settings (cost per sprint, feature mappings) and the board's Jira Service
    // Management projects (whose satisfaction ratings its syncs read) are there too.
    ...(fixedView === 'customerOutcomes'
      ? {
          importOutcomes: async (upload) => call<OutcomeUploadResult>('importOutcomes', { kind: upload.kind, name: upload.name, ...(await uploadText(upload.text)) }),
          loadOutcomeData: () => call<OutcomeData>('outcomeData', {}),
          saveOutcomeSettings: (settings) => call<OutcomeData>('saveOutcomeSettings', { settings }),
          removeOutcomeFile: (file) => call<OutcomeRemoval>('removeOutcomeFile', { kind: file.kind, name: file.name }),
          saveServiceProjects: (projects) => call<OutcomeData>('saveServiceProjects', { projects }),
        }
      : {}),
  };
}

/**
 * A resolver's answer, or an error result when it is not one (an older backend, a platform error page). Big
 * answers arrive gzip-compressed in base64 (src/packed-answer.ts) and are unpacked here.
 */
async function asResult<T>(value: unknown): Promise<HostResult<T>> {
  const v = value as { ok?: unknown; data?: unknown; encoding?: unknown; error?: { kind?: unknown; message?: unknown } } | null | undefined;
  if (v && v.ok === true && v.encoding === 'gzip-base64' && typeof v.data === 'string') {
    try {
      return { ok: true, data: (await unpack(v.data)) as T };
    } catch (err) {
      return { ok: false, error: { kind: 'internal', message: `agile-kpi’s Forge function answered compressed data that could not be unpacked (${err instanceof Error ? err.message : String(err)}); reload the dashboard` } };
    }
  }
  if (v && v.ok === true && 'data' in v && v.encoding === undefined) return { ok: true, data: v.data as T };
  if (v && v.ok === false && v.error && typeof v.error.kind === 'string' && typeof v.error.message === 'string') {
    return { ok: false, error: { kind: v.error.kind, message: v.error.message } };
  }
  return { ok: false, error: { kind: 'internal', message: 'agile-kpi’s Forge function answered in an unexpected shape; reinstall or upgrade the app' } };
}

/** Files this long (characters) or longer travel gzip-compressed, as big answers do: survey exports shrink about tenfold. */
export const PACK_UPLOAD_FROM_CHARS = 256 * 1024;

/** An upload's file as the resolver reads it: `text`, or, when large, `{ encoding: 'gzip-base64', data }` (src/packed-answer.ts). */
export async function uploadText(text: string): Promise<{ text: string } | { encoding: 'gzip-base64'; data: string }> {
  if (text.length < PACK_UPLOAD_FROM_CHARS || typeof CompressionStream !== 'function') return { text };
  const bytes = new Uint8Array(await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { encoding: 'gzip-base64', data: btoa(binary) };
}

/** gzip + base64 -> the JSON value, with the browser's own DecompressionStream. */
export async function unpack(base64: string): Promise<unknown> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const text = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
  return JSON.parse(text) as unknown;
}
