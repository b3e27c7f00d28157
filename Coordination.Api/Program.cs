using Coordination.Api;
using Coordination.Api.Boundaries;
using Coordination.Api.Boundaries.Hamlets;
using Coordination.Api.MutualAid;
using Coordination.Api.MutualAid.HelpReports;
using Coordination.Api.Alerts;
using Coordination.Api.Identity;
using Coordination.Api.Hazards;
using Coordination.Api.Offices;
using Coordination.Api.Boundaries.Tiles;
using Coordination.Api.Infrastructure;
using Scalar.AspNetCore;

// Numbers in SQL, GeoJSON, CSV answers and logs are written the invariant way whatever the machine's locale (a vi-VN
// server would otherwise write 105,5); Vietnamese words are the web client's, or use an explicit culture.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// `Coordination.Api import FILE` and friends run a command and exit; no arguments serves the API.
var command = CommandLine.Parse(args);
var builder = WebApplication.CreateBuilder(command.HostArgs);

builder.AddCoordinationServices();

var app = builder.Build();
// Start (or reach) the database from the final configuration, so test hosts can point it elsewhere.
await app.StartDatabaseAsync();

if (command.Name is not null)
    return await CommandLine.RunAsync(app, command);

app.UseCoordinationPipeline();

app.MapOpenApi().AllowAnonymous();      // /openapi/v1.json, always
app.MapScalarApiReference("/docs").AllowAnonymous();   // browsable reference
app.MapGet("/", () => TypedResults.Redirect("/docs")).AllowAnonymous().ExcludeFromDescription();
app.MapHealth();

app.MapAuth();
app.MapAdminUsers();
app.MapAudit();
app.MapProvinces();
app.MapCommunes();
app.MapHamlets();
app.MapAdjacency();
app.MapDefenseAreas();
app.MapOffices();
app.MapHazards();
app.MapResources();
app.MapAidRequests();
app.MapHelpReports();
app.MapPledges();
app.MapNotifications();
app.MapSubscribers();
app.MapSmsTemplates();
app.MapAlerts();
app.MapCap();
app.MapSmsWebhooks();
app.MapTiles();
app.MapEnums();

await app.PrepareDatabaseAsync();
await app.RunAsync();
return 0;

/// <summary>Exposed for the test host.</summary>
public partial class Program;
