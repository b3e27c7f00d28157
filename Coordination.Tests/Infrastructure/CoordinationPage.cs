using Microsoft.Playwright;

namespace Coordination.Tests.Infrastructure;

/// <summary>
/// The web map as the browser tests drive it: one browser context and its page, the errors the page logged, and what a
/// user does there (sign in, open a commune, wait for the map to settle, pick a point on the map, open a panel) in one
/// place. The raw page stays at hand (<see cref="Page"/>) for the steps that are a test's own.
/// </summary>
public sealed class CoordinationPage
{
    public IBrowserContext Context { get; }
    public IPage Page { get; }
    /// <summary>Console errors and uncaught exceptions of the page (minus the refusals the test provokes on purpose).</summary>
    public List<string> Errors { get; } = [];
    /// <summary>The map layer whose presence means the map is ready (communes by default; offices on the hazard pages).</summary>
    public string MapLayer { get; init; } = "communes-fill";
    /// <summary>The web host the page was opened on.</summary>
    public string WebUrl { get; }
    readonly Action<string> _log;

    public CoordinationPage(IBrowserContext context, IPage page, string webUrl, Action<string> log) => (Context, Page, WebUrl, _log) = (context, page, webUrl, log);

    /// <summary>
    /// A new browser context (a desktop screen, or a phone) on the web host's page at <paramref name="path"/>, loaded
    /// until the network is idle. Chromium logs every refused request as an error; the <paramref name="provoked"/>
    /// statuses are the ones the test causes on purpose and checks in the page instead. <paramref name="beforeLoad"/>
    /// runs on the page before it navigates (e.g. to record responses).
    /// </summary>
    public static async Task<CoordinationPage> OpenAsync(BrowserHost host, Action<string> log, string path = "/", bool phone = false,
        IReadOnlyCollection<int>? provoked = null, string mapLayer = "communes-fill", Action<IPage>? beforeLoad = null)
    {
        var context = await host.Browser.NewContextAsync(phone
            ? new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2, ReducedMotion = ReducedMotion.Reduce, Locale = "vi-VN" }
            : new()
            {
                ViewportSize = new() { Width = 1280, Height = 800 },
                ReducedMotion = ReducedMotion.Reduce,      // the app then moves the camera without animation
                Locale = "vi-VN",
            });
        var page = await context.NewPageAsync();
        var app = new CoordinationPage(context, page, host.WebUrl, log) { MapLayer = mapLayer };
        var ignored = (provoked ?? []).Select(s => $"status of {s}").ToList();
        page.Console += (_, m) => { if (m.Type == "error" && !ignored.Any(m.Text.Contains)) app.Errors.Add(m.Text); };
        page.PageError += (_, e) => app.Errors.Add(e);
        beforeLoad?.Invoke(page);
        await app.GoToAsync(path);
        return app;
    }

    /// <summary>Goes to a page of the web host (e.g. a deep link to an office), loaded until the network is idle.</summary>
    public Task<IResponse?> GoToAsync(string path) => Page.GotoAsync(WebUrl + path, new() { WaitUntil = WaitUntilState.NetworkIdle });

    public Task CloseAsync() => Context.CloseAsync();

    // ---- signing in

    /// <summary>Opens the sign-in dialog, types the user and password and submits (what follows is the test's to check).</summary>
    public async Task SubmitSignInAsync(string userName, string password)
    {
        await Page.ClickAsync("#signin");
        await Page.FillAsync("#signin-user", userName);
        await Page.FillAsync("#signin-password", password);
        await Page.ClickAsync("#signin-submit");
    }

    /// <summary>Signs in as a demo user and waits until the page shows the sign-out button.</summary>
    public async Task SignInAsync(string userName)
    {
        await SubmitSignInAsync(userName, Session.DemoPassword);
        await Assertions.Expect(Page.Locator("#signout")).ToBeVisibleAsync();
    }

    // ---- the map and the commune panel

    /// <summary>Waits until the map has loaded its style and tiles, stands still and has its main layer.</summary>
    public Task WaitForMapIdleAsync() => Page.WaitForFunctionAsync(
        $"() => {{ const m = window.coordinationMap; return m && m.loaded() && m.areTilesLoaded() && !m.isMoving() && m.getLayer('{MapLayer}'); }}");

    /// <summary>Waits until the panel shows the commune, loaded.</summary>
    public Task WaitForPanelAsync(string code) => Page.WaitForSelectorAsync($"#panel[data-code='{code}'][data-state='ready']");

    /// <summary>Waits until the panel shows the office, loaded.</summary>
    public Task WaitForOfficeAsync(int id) => Page.WaitForSelectorAsync($"#panel[data-office='{id}'][data-state='ready']");

    /// <summary>Waits until the panel shows the flood event (any, for null), loaded.</summary>
    public Task WaitForFloodAsync(int? id = null) =>
        Page.WaitForSelectorAsync(id is null ? "#panel[data-flood][data-state='ready']" : $"#panel[data-flood='{id}'][data-state='ready']");

    /// <summary>Waits until each layer toggle says its layer is ready.</summary>
    public async Task WaitForLayersAsync(params string[] layers)
    {
        foreach (var layer in layers) await Page.WaitForSelectorAsync($"#layer-{layer}[data-state='ready']");
    }

    /// <summary>Whether the map marks the commune as one of the signed-in user's own (feature-state <c>own</c>).</summary>
    public Task<bool> IsOwnAsync(string code) => Page.EvaluateAsync<bool>(
        $"() => window.coordinationMap.getFeatureState({{source:'communes', sourceLayer:'communes', id:{int.Parse(code)}}}).own === true");

    /// <summary>
    /// A screen point inside the commune, on the map canvas itself (not under a panel or control): the label point
    /// if it is visible, else the first of a grid of points the map's own hit test puts in the commune.
    /// </summary>
    public async Task<(double x, double y)> PointInsideAsync(string code)
    {
        var label = await Page.EvaluateAsync<double[]>($"async () => (await (await fetch('/api/communes/{code}')).json()).properties.labelPoint");
        var handle = await Page.WaitForFunctionAsync("""
            ([code, label]) => {
              const m = window.coordinationMap;
              if (!m.loaded() || m.isMoving()) return null;
              const r = m.getCanvas().getBoundingClientRect();
              const ok = (px, py) => document.elementFromPoint(r.left + px, r.top + py) === m.getCanvas()
                && m.queryRenderedFeatures([px, py], { layers: ['communes-fill'] }).map(x => x.id).join() === String(Number(code));
              const p = m.project(label);
              if (ok(p.x, p.y)) return { x: r.left + p.x, y: r.top + p.y };
              for (let gy = 0.1; gy < 1; gy += 0.05)
                for (let gx = 0.1; gx < 1; gx += 0.05)
                  if (ok(r.width * gx, r.height * gy)) return { x: r.left + r.width * gx, y: r.top + r.height * gy };
              return null;
            }
            """, new object[] { code, label }, new() { Timeout = 15000 });
        return Point(await handle.JsonValueAsync<JsonElement>());
    }

    /// <summary>
    /// A screen point inside one of the given communes, not covered by the panel or other controls: the commune's
    /// label point projected to the screen, checked with the map's own hit test (no waiting: the map is still).
    /// </summary>
    public async Task<(string code, double x, double y)> ClickableLabelPointAsync(string[] codes)
    {
        foreach (var code in codes)
        {
            var hit = await Page.EvaluateAsync<JsonElement>("""
                async (code) => {
                  const map = window.coordinationMap;
                  const f = await (await fetch('/api/communes/' + code)).json();
                  const p = map.project(f.properties.labelPoint);
                  const rect = map.getCanvas().getBoundingClientRect();
                  const x = rect.left + p.x, y = rect.top + p.y;
                  const onCanvas = document.elementFromPoint(x, y) === map.getCanvas();
                  const ids = map.queryRenderedFeatures([p.x, p.y], { layers: ['communes-fill'] }).map(f => f.id);
                  return { x, y, ok: onCanvas && ids.length === 1 && ids[0] === Number(code) };
                }
                """, code);
            if (hit.GetProperty("ok").GetBoolean())
                return (code, hit.GetProperty("x").GetDouble(), hit.GetProperty("y").GetDouble());
        }
        throw new Xunit.Sdk.XunitException("no neighbour of the selection is visible and clickable on the map");
    }

    /// <summary>Where a place is on the screen, once the map is still and draws the canvas there (not under the panel).</summary>
    public async Task<(double x, double y)> ScreenPointAsync((double Lon, double Lat) at)
    {
        var handle = await Page.WaitForFunctionAsync("""
            ([lon, lat]) => {
              const m = window.coordinationMap;
              if (!m.loaded() || m.isMoving()) return null;
              const p = m.project([lon, lat]), r = m.getCanvas().getBoundingClientRect();
              const x = r.left + p.x, y = r.top + p.y;
              return document.elementFromPoint(x, y) === m.getCanvas() ? { x, y } : null;
            }
            """, new[] { at.Lon, at.Lat }, new() { Timeout = 15000 });
        return Point(await handle.JsonValueAsync<JsonElement>());
    }

    /// <summary>
    /// The office's position on the screen, once the map draws it there as the closest circle, on the canvas
    /// itself (not under the panel or a control).
    /// </summary>
    public async Task<(double x, double y)> OfficePointAsync(Office office)
    {
        var handle = await Page.WaitForFunctionAsync("""
            ([id, lon, lat]) => {
              const m = window.coordinationMap;
              if (!m.loaded() || m.isMoving()) return null;
              const p = m.project([lon, lat]), r = m.getCanvas().getBoundingClientRect();
              const x = r.left + p.x, y = r.top + p.y;
              if (document.elementFromPoint(x, y) !== m.getCanvas()) return null;
              const hits = m.queryRenderedFeatures([[p.x - 2, p.y - 2], [p.x + 2, p.y + 2]], { layers: ['offices'] });
              return hits.length === 1 && hits[0].id === id ? { x, y } : null;
            }
            """, new object[] { office.Id, office.Lon, office.Lat }, new() { Timeout = 15000 });
        return Point(await handle.JsonValueAsync<JsonElement>());
    }

    static (double x, double y) Point(JsonElement p) => (p.GetProperty("x").GetDouble(), p.GetProperty("y").GetDouble());

    /// <summary>Puts the commune in the part of the map the alerts panel (left) and the commune panel (right) leave free.</summary>
    public async Task ShowCommuneBesidePanelsAsync(string code)
    {
        // after the sign-in's own move to the user's area (it fetches the area's communes first)
        await Page.WaitForFunctionAsync("() => window.coordination.own.length > 0");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await WaitForMapIdleAsync();
        await Page.EvaluateAsync("""
            async (code) => {
              const f = await (await fetch('/api/communes/' + code)).json();
              const box = [Infinity, Infinity, -Infinity, -Infinity];
              const walk = (c) => typeof c[0] === 'number'
                ? (box[0] = Math.min(box[0], c[0]), box[1] = Math.min(box[1], c[1]), box[2] = Math.max(box[2], c[0]), box[3] = Math.max(box[3], c[1]))
                : c.forEach(walk);
              walk(f.geometry.coordinates);
              const left = document.querySelector('#alerts').getBoundingClientRect().right + 30;
              const right = document.querySelector('#panel').getBoundingClientRect().width + 30;
              window.coordinationMap.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: { left, right, top: 40, bottom: 40 }, duration: 0 });
            }
            """, code);
        await WaitForMapIdleAsync();
    }

    // ---- what the page reads from the API (through the web host's proxy, with the page's own cookies)

    public sealed record Office(int Id, double Lon, double Lat);

    /// <summary>The People's Committee seat of a commune.</summary>
    public async Task<Office> SeatOfAsync(string commune)
    {
        var fc = await Page.EvaluateAsync<JsonElement>($"async () => (await fetch('/api/offices?commune={commune}')).json()");
        var seat = fc.GetProperty("features").EnumerateArray().First(f => f.GetProperty("properties").GetProperty("kind").GetString() == "people_committee");
        var c = seat.GetProperty("geometry").GetProperty("coordinates");
        return new(seat.GetProperty("id").GetInt32(), c[0].GetDouble(), c[1].GetDouble());
    }

    /// <summary>An office as a GeoJSON feature, fresh (not from the browser's cache).</summary>
    public Task<JsonElement> OfficeJsonAsync(int id) =>
        Page.EvaluateAsync<JsonElement>($"async () => (await fetch('/api/offices/{id}', {{ cache: 'no-store' }})).json()");

    /// <summary>The active floods as a GeoJSON feature collection, fresh.</summary>
    public Task<JsonElement> ActiveFloodsAsync() =>
        Page.EvaluateAsync<JsonElement>("async () => (await fetch('/api/flood-events?active=true', { cache: 'no-store' })).json()");

    // ---- the panels

    /// <summary>Opens the mutual-aid panel once the module is loaded and the live stream is connected.</summary>
    public async Task OpenAidAsync()
    {
        await Page.ClickAsync("#aid-toggle");
        await Assertions.Expect(Page.Locator("#aid")).ToBeVisibleAsync();
        await Page.WaitForSelectorAsync("body[data-live='open']");
    }

    /// <summary>Opens the SMS alerts panel once its button is there, and waits until it has loaded.</summary>
    public async Task OpenAlertsAsync()
    {
        await Assertions.Expect(Page.Locator("#alerts-toggle")).ToBeVisibleAsync(new() { Timeout = 10000 });
        await Page.ClickAsync("#alerts-toggle");
        await Assertions.Expect(Page.Locator("#alerts")).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("#alerts-body .muted", new() { HasTextString = "Đang tải…" })).ToHaveCountAsync(0);
    }

    /// <summary>A screenshot in the temporary folder, its path logged.</summary>
    public async Task ScreenshotAsync(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"coordination-web-{name}.png");
        await Page.ScreenshotAsync(new() { Path = path });
        _log($"Screenshot: {path}");
    }
}
