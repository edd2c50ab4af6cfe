/*
 * The harness's stand-in for the Azure DevOps page around an extension: it hosts the extension's pages in
 * IFRAMEs (served from another origin, as Azure DevOps serves them from the extension's CDN) and answers what
 * azure-devops-extension-sdk 4.2 asks of its parent over XDM, the SDK's postMessage RPC:
 *
 * - messages are JSON strings `{ id, methodName, instanceId, params, handshakeToken? }`; an answer is
 *   `{ id, result }` or `{ id, error }` (echoing the handshake token), sent back to the frame;
 * - `DevOps.HostControl`: `initialHandshake(options)` (answered with the context below and the theme),
 *   `notifyLoadSucceeded`, `notifyLoadFailed`, `getAccessToken` (`{ token }`), `getAppToken`, `resize`;
 * - `DevOps.ServiceManager.getService(contributionId)`: the LocationService and the ExtensionDataService,
 *   objects whose functions cross as `{ __proxyFunctionId, _channelId }` and are called back on the
 *   `__proxyFunctions` instance as `proxy<n>`;
 * - calls into the frame: a widget's `load`/`reload`, a configuration's `load(settings, context)` (its
 *   `notify` a proxied function) and `onSave`, and `DevOps.SdkClient.dispatchEvent('themeChanged', ...)`.
 *
 * What the real host sends beyond what the SDK reads is not known; this page sends what the SDK reads.
 * Plain browser JavaScript, served as is. `window.__harness` is what tests drive.
 */
(() => {
  const H = window.__HARNESS__;
  const events = [];
  const channels = [];
  let theme = H.theme;

  const record = (type, detail) => {
    events.push({ type, ...detail, at: Date.now() });
    const log = document.getElementById('harness-log');
    if (log) {
      const li = document.createElement('li');
      li.textContent = `${type}${detail && detail.frame ? ` (${detail.frame})` : ''}${detail && detail.summary ? `: ${detail.summary}` : ''}`;
      log.prepend(li);
    }
  };

  async function api(path, body) {
    const res = await fetch(path, { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const answer = await res.json();
    if (!answer.ok) throw answer.error;
    return answer.value;
  }

  /** The extension data manager the host gives a page: every call goes to the harness's in-memory service. */
  function dataManager(token) {
    const call = (op, args) => api('/_harness/api/extdata', { op, token, ...args });
    return {
      getValue: (key, options) => call('getValue', { key, options }),
      setValue: (key, value, options) => call('setValue', { key, value, options }),
      getDocument: (collection, id, options) => call('get', { collection, id, options }),
      getDocuments: (collection, options) => call('list', { collection, options }),
      createDocument: (collection, doc, options) => call('create', { collection, doc, options }),
      setDocument: (collection, doc, options) => call('set', { collection, doc, options }),
      updateDocument: (collection, doc, options) => call('update', { collection, doc, options }),
      deleteDocument: (collection, id, options) => call('delete', { collection, id, options }),
      queryCollectionsByName: (names) => call('queryByName', { names }),
      queryCollections: (collections) => call('queryByName', { names: collections.map((c) => c.collectionName) }),
    };
  }

  const services = {
    'ms.vss-features.location-service': {
      getResourceAreaLocation: async (areaId) => {
        const url = H.resourceAreas[String(areaId).toLowerCase()];
        if (!url) throw { message: `Resource area ${areaId} is not known to this organisation.`, status: 404 };
        return url;
      },
      getServiceLocation: async () => H.serviceLocation,
      routeUrl: async (routeId) => `${H.serviceLocation}_harness/route/${encodeURIComponent(routeId)}`,
    },
    'ms.vss-features.extension-data-service': {
      getExtensionDataManager: async (extensionId, token) => {
        if (extensionId !== H.extension.id) throw { message: `Extension ${extensionId} is not installed in this organisation.`, status: 404 };
        return dataManager(token);
      },
    },
  };

  class Channel {
    constructor(frame, name, contributionId, configuration) {
      this.frame = frame;
      this.name = name;
      this.contributionId = contributionId;
      this.configuration = configuration || {};
      this.nextId = 1;
      this.nextProxy = 1;
      this.pending = new Map();
      this.proxies = new Map();
      this.handshaken = false;
      this.loaded = new Promise((resolve, reject) => {
        this.resolveLoaded = resolve;
        this.rejectLoaded = reject;
      });
    }

    post(message) {
      this.frame.contentWindow.postMessage(JSON.stringify(message), H.extensionOrigin);
    }

    /** Values crossing to the frame: functions become proxies the frame calls back. */
    serialize(value, seen = new Set()) {
      if (typeof value === 'function') {
        const id = this.nextProxy++;
        this.proxies.set(`proxy${id}`, value);
        return { __proxyFunctionId: id, _channelId: 1 };
      }
      if (value instanceof Date) return { __proxyDate: value.getTime() };
      if (value === null || typeof value !== 'object') return value;
      if (seen.has(value)) return undefined;
      seen.add(value);
      const out = Array.isArray(value) ? [] : {};
      for (const key of Object.keys(value)) {
        const v = this.serialize(value[key], seen);
        if (v !== undefined) out[key] = v;
      }
      seen.delete(value);
      return out;
    }

    /** Calls a method of an object the frame registered. */
    call(instanceId, methodName, params) {
      const id = this.nextId++;
      return new Promise((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        this.post({ id, methodName, instanceId, params: this.serialize(params || []) });
      });
    }

    async onMessage(raw) {
      let message;
      try {
        message = JSON.parse(raw);
      } catch {
        return;
      }
      if (!message || typeof message !== 'object') return;
      if (!message.instanceId) {
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        this.pending.delete(message.id);
        if (message.error !== undefined) waiting.reject(message.error);
        else waiting.resolve(message.result);
        return;
      }
      const reply = (body) => this.post({ id: message.id, handshakeToken: message.handshakeToken, ...body });
      try {
        const result = await this.invoke(message);
        reply({ result: this.serialize(result) });
      } catch (err) {
        const error = err instanceof Error ? { name: err.name, message: err.message } : err;
        reply({ error: this.serialize(error) });
      }
    }

    async invoke(message) {
      const params = message.params || [];
      if (message.instanceId === '__proxyFunctions') {
        const fn = this.proxies.get(message.methodName);
        if (!fn) throw { message: `No proxied function ${message.methodName}` };
        return fn(...params);
      }
      if (message.instanceId === 'DevOps.ServiceManager' && message.methodName === 'getService') {
        const service = services[params[0]];
        record('getService', { frame: this.name, summary: params[0] });
        if (!service) throw { message: `The service ${params[0]} is not available in this harness.` };
        return service;
      }
      if (message.instanceId === 'DevOps.HostControl') {
        switch (message.methodName) {
          case 'initialHandshake':
            this.handshaken = true;
            record('handshake', { frame: this.name, summary: `SDK ${params[0] && params[0].sdkVersion}, loaded: ${params[0] && params[0].loaded}` });
            return this.handshake();
          case 'notifyLoadSucceeded':
            record('loaded', { frame: this.name });
            this.resolveLoaded();
            return undefined;
          case 'notifyLoadFailed':
            record('load-failed', { frame: this.name, summary: params[0] && params[0].message });
            this.rejectLoaded(params[0]);
            return undefined;
          case 'getAccessToken':
          case 'getAppToken': {
            const res = await fetch('/_harness/api/token', { method: 'POST' });
            if (!res.ok) {
              record('token-refused', { frame: this.name });
              throw { message: 'The host could not get an access token for the extension (simulated failure).', status: res.status };
            }
            return { token: (await res.json()).token };
          }
          case 'resize':
            record('resize', { frame: this.name, summary: params.join(' x ') });
            return undefined;
          default:
            throw { message: `DevOps.HostControl has no method ${message.methodName}` };
        }
      }
      throw { message: `The registered object ${message.instanceId} could not be found.` };
    }

    handshake() {
      if (H.handshake === 'legacy') {
        // The older format the SDK still reads: no `context`, so the page has no `SDK.getUser()`.
        return {
          pageContext: { webContext: H.webContext, globalization: { ...H.globalization, theme: theme === 'dark' ? 'ms.vss-web.vsts-theme-dark' : 'ms.vss-web.vsts-theme' } },
          initialConfig: this.configuration,
          contribution: { id: this.contributionId },
          extensionContext: { publisherId: H.extension.publisherId, extensionId: H.extension.extensionId, version: H.extension.version, baseUri: H.extension.baseUri },
          themeData: H.themes[theme],
        };
      }
      return {
        contributionId: this.contributionId,
        initialConfig: this.configuration,
        context: {
          extension: H.extension,
          user: H.user,
          host: H.host,
          pageContext: { webContext: H.webContext, globalization: { ...H.globalization, theme: theme === 'dark' ? 'ms.vss-web.vsts-theme-dark' : 'ms.vss-web.vsts-theme' } },
        },
        themeData: H.themes[theme],
      };
    }
  }

  window.addEventListener('message', (ev) => {
    for (const channel of channels) {
      if (ev.source === channel.frame.contentWindow && ev.origin === H.extensionOrigin) void channel.onMessage(ev.data);
    }
  });

  function frame(id, src, name, contributionId, configuration) {
    const el = document.getElementById(id);
    const channel = new Channel(el, name, contributionId, configuration);
    channels.push(channel);
    el.src = src;
    return channel;
  }

  const widgetSettings = () => H.widget.settings;

  async function loadWidget(channel, settings, method) {
    await channel.loaded;
    try {
      const status = await channel.call(H.relativeIds.widget, method, [settings]);
      record(`widget-${method}`, { frame: channel.name, summary: JSON.stringify(status), status });
      return status;
    } catch (err) {
      record(`widget-${method}-failed`, { frame: channel.name, summary: err && err.message });
      throw err;
    }
  }

  const api$ = {
    events,
    surface: H.surface,
    /** Switches the host's theme: Azure DevOps sends `themeChanged` to every extension frame. */
    async setTheme(name) {
      theme = name;
      document.documentElement.dataset.theme = name;
      await Promise.all(channels.map((c) => c.call('DevOps.SdkClient', 'dispatchEvent', ['themeChanged', { detail: { data: H.themes[name] } }])));
      record('theme', { summary: name });
    },
  };
  window.__harness = api$;

  const themeToggle = document.getElementById('harness-theme');
  if (themeToggle) {
    themeToggle.addEventListener('click', () => void api$.setTheme(theme === 'dark' ? 'light' : 'dark'));
  }
  document.documentElement.dataset.theme = theme;

  if (H.surface === 'hub') {
    const hub = frame('ext-hub', H.pages.hub, 'hub', H.contributions.hub);
    api$.loaded = hub.loaded;
  } else if (H.surface === 'widget') {
    const widget = frame('ext-widget', H.pages.widget, 'widget', H.contributions.widget);
    api$.loaded = loadWidget(widget, widgetSettings(), 'load');
  } else if (H.surface === 'configure') {
    const config = frame('ext-config', H.pages.config, 'configuration', H.contributions.config);
    const preview = frame('ext-widget', H.pages.widget, 'preview', H.contributions.widget);
    let draft = widgetSettings();
    const context = {
      notify: async (event, args) => {
        record('notify', { frame: 'configuration', summary: event, event, args });
        if (event === 'ms.vss-dashboards-web.configurationChange') {
          draft = { ...draft, customSettings: args.data };
          await loadWidget(preview, draft, 'reload');
        }
        return { getResponse: async () => '' };
      },
    };
    api$.loaded = Promise.all([
      config.loaded.then(() => config.call(H.relativeIds.config, 'load', [widgetSettings(), context])).then((status) => record('configuration-load', { frame: 'configuration', summary: JSON.stringify(status) })),
      loadWidget(preview, widgetSettings(), 'load'),
    ]);
    /** The panel's Save: asks the configuration, stores what it answers with the widget, reloads the widget. */
    api$.save = async () => {
      let status;
      try {
        status = await config.call(H.relativeIds.config, 'onSave', []);
      } catch (err) {
        record('save-refused', { frame: 'configuration', summary: JSON.stringify(err) });
        return { ok: false, error: err };
      }
      if (!status || !status.isValid) {
        record('save-refused', { frame: 'configuration', summary: JSON.stringify(status) });
        return { ok: false, error: status };
      }
      const settings = { ...widgetSettings(), customSettings: status.customSettings };
      H.widget.settings = await api(`/_harness/api/widgets/${encodeURIComponent(H.widget.id)}`, { settings });
      draft = H.widget.settings;
      record('saved', { frame: 'configuration', summary: status.customSettings && status.customSettings.data });
      await loadWidget(preview, H.widget.settings, 'reload');
      return { ok: true, settings: H.widget.settings };
    };
    const save = document.getElementById('harness-save');
    if (save) save.addEventListener('click', () => void api$.save());
  }
})();
