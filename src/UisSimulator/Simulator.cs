using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace UisSimulator;

/// <summary>
/// UIS's Call API (<c>POST /callapi/v4.0</c>) and Data API (<c>POST /dataapi/v2.0</c>) over real HTTP on
/// loopback, with the account in <see cref="State"/>. Run it with <c>dotnet run --project src/UisSimulator</c>,
/// or start it inside a test with <see cref="StartAsync"/>.
/// </summary>
public sealed class Simulator : IAsyncDisposable
{
    public const string CallApiPath = "/callapi/v4.0";
    public const string DataApiPath = "/dataapi/v2.0";

    private static readonly string[] EmployeeCallKeys =
    [
        "access_token", "first_call", "direction", "virtual_phone_number", "contact", "employee", "external_id",
        "switch_at_once", "early_switching", "media_file_id", "show_virtual_phone_number", "dtmf_string",
    ];

    private static readonly string[] SimpleCallKeys =
    [
        "access_token", "first_call", "direction", "virtual_phone_number", "contact", "operator", "external_id",
        "switch_at_once", "early_switching", "media_file_id", "show_virtual_phone_number",
    ];

    private readonly WebApplication _app;

    public SimulatorState State { get; }
    public Uri BaseUri { get; }
    public Uri CallApiUrl => new(BaseUri, CallApiPath);
    public Uri DataApiUrl => new(BaseUri, DataApiPath);

    /// <summary>The certificate the recordings are served with (self-signed, <c>localhost</c>), for a client that is told to trust it.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 MediaCertificate { get; private init; } = null!;

    private Simulator(WebApplication app, SimulatorState state, Uri baseUri) => (_app, State, BaseUri) = (app, state, baseUri);

    public static async Task<Simulator> StartAsync(SimulatorState? state = null, int port = 0)
    {
        state ??= new SimulatorState();
        var builder = WebApplication.CreateSlimBuilder();
        // The APIs on plain HTTP; the recordings on HTTPS with a certificate of its own (UIS's media links are https).
        var certificate = global::UisSimulator.MediaCertificate.Create();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, port);
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapPost(CallApiPath, (HttpContext context) => AnswerAsync(context, state, CallApi));
        app.MapPost(DataApiPath, (HttpContext context) => AnswerAsync(context, state, DataApi));
        app.MapGet("/media/{name}", (string name, HttpContext context) =>
        {
            state.MediaRequests.Enqueue(context.Request.Path + context.Request.QueryString);
            if (state.MediaFaults.TryGetValue(name, out var fault)) return fault(context);
            return name.EndsWith(".wav", StringComparison.Ordinal) && !state.ExpiredMedia.ContainsKey(name)
                ? Results.File(Playback.Recording(), "audio/wav", enableRangeProcessing: true)
                : Results.NotFound();
        });
        app.MapPost("/simulator/incoming", async (string from, string? line) =>
            await PlayIncomingAsync(state, from, line ?? state.VirtualNumbers.Keys.First()) is { } session
                ? Results.Ok(new { call_session_id = session })
                : Results.Problem("Tell the simulator where the CRM is first (--notify).", statusCode: 409));
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var address = addresses.First(a => a.StartsWith("http:", StringComparison.Ordinal));
        var media = new Uri(addresses.First(a => a.StartsWith("https:", StringComparison.Ordinal)));
        state.MediaBase = new Uri($"https://localhost:{media.Port}/media/");
        return new Simulator(app, state, new Uri(address)) { MediaCertificate = certificate };
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static async Task AnswerAsync(HttpContext context, SimulatorState state, Func<RpcRequest, SimulatorState, JsonNode> method)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        JsonNode? id = null;
        JsonObject answer;
        try
        {
            var request = RpcRequest.Parse(body);
            id = request.Id;
            // A slow UIS still does the work when the caller has given up waiting.
            if (state.AnswerDelay > TimeSpan.Zero) await Task.Delay(state.AnswerDelay);
            if (state.NextErrors.TryDequeue(out var planned)) throw RpcError.Of(planned, minuteReset: planned == "limit_exceeded" ? 17 : null);
            if (!state.IpWhitelisted) throw RpcError.Of("ip_not_whitelisted", "The caller's IP address is not whitelisted");
            var token = request.Text("access_token");
            if (token is null || !state.Tokens.TryGetValue(token, out var tokenState)) throw RpcError.Of("access_token_invalid", "Access token is invalid");
            if (tokenState != "active") throw RpcError.Of($"access_token_{tokenState}", $"Access token is {tokenState}");
            if (state.OverLimit(DateTimeOffset.UtcNow) is { } reset) throw RpcError.Of("limit_exceeded", "Limit exceeded", minuteReset: reset);
            answer = new JsonObject
            {
                ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(),
                ["result"] = new JsonObject
                {
                    ["data"] = method(request, state),
                    ["metadata"] = new JsonObject { ["limits"] = new JsonObject { ["minute_limit"] = state.CallsPerMinute, ["minute_reset"] = 60 } },
                },
            };
        }
        catch (RpcError error)
        {
            answer = error.ToJson(id);
        }
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private static JsonNode CallApi(RpcRequest request, SimulatorState state)
    {
        switch (request.Method)
        {
            case "start.employee_call":
            {
                request.OnlyKeys(EmployeeCallKeys);
                if (request.Required("first_call") is not ("employee" or "contact")) throw RpcError.Of("invalid_parameter_value", field: "first_call");
                CheckVirtualNumber(request, state);
                var contact = CheckContact(request, state);
                if (!request.Params.TryGetValue("employee", out var employee) || employee.ValueKind != JsonValueKind.Object ||
                    !employee.TryGetProperty("id", out var idElement) || !idElement.TryGetInt64(out var employeeId))
                    throw RpcError.Of("required_parameter_missed", "employee.id is required", "employee");
                var unexpected = employee.EnumerateObject().Select(p => p.Name).Where(n => n is not ("id" or "phone_number")).ToList();
                if (unexpected.Count > 0) throw RpcError.Of("unexpected_parameters", field: "employee." + unexpected[0]);
                if (!state.Employees.TryGetValue(employeeId, out var known)) throw RpcError.Of("employee_not_found", field: "employee.id");
                if (known.PhoneNumbers.Length == 0) throw RpcError.Of("no_active_phone_number", field: "employee.phone_number");
                return Started(request, state, contact);
            }
            case "start.simple_call":
            {
                request.OnlyKeys(SimpleCallKeys);
                if (request.Required("first_call") is not ("operator" or "contact")) throw RpcError.Of("invalid_parameter_value", field: "first_call");
                CheckVirtualNumber(request, state);
                request.Required("operator");
                return Started(request, state, CheckContact(request, state));
            }
            case "release.call":
                request.OnlyKeys("access_token", "call_session_id");
                return new JsonObject { ["success"] = "true" };
            default:
                throw RpcError.Of("method_not_found", $"Method {request.Method} not found");
        }
    }

    private static JsonNode Started(RpcRequest request, SimulatorState state, string contact)
    {
        var session = state.NextSessionId();
        var started = new StartedCall(session, request.Method, request.Params, DateTimeOffset.UtcNow);
        state.StartedCalls.Enqueue(started);
        state.BeforeAnswer?.Invoke(started).GetAwaiter().GetResult();
        if (state.Crm is { } crm)
        {
            var employee = request.Params.TryGetValue("employee", out var e) && e.TryGetProperty("id", out var id) &&
                state.Employees.TryGetValue(id.GetInt64(), out var known)
                    ? e.TryGetProperty("phone_number", out var number) ? number.GetString() : known.PhoneNumbers.FirstOrDefault()
                    : request.Text("operator");
            var variables = new Dictionary<string, object?>
            {
                ["direction"] = "out", ["virtual_phone_number"] = request.Text("virtual_phone_number"), ["contact_phone_number"] = contact,
                ["employee_phone_number"] = employee, ["call_session_id"] = session,
            };
            // After the answer has gone, as UIS does (BeforeAnswer plays the other order).
            _ = Task.Run(async () =>
            {
                await Task.Delay(50);
                await Playback.PlayAsync(crm, state, Playback.OutgoingStart, variables, Recording(state, session));
            });
        }
        return new JsonObject { ["call_session_id"] = session };
    }

    private static string? Recording(SimulatorState state, long session) =>
        state.TalkSeconds > 0 && state.MediaBase is { } media ? new Uri(media, $"{session}.wav").ToString() : null;

    /// <summary>
    /// A client calls the line: UIS asks the CRM's routing URL first (when configured) and puts the
    /// caller through to the number it answers, or to the group (the first employee) on an error; then it reports the call.
    /// </summary>
    public static async Task<long?> PlayIncomingAsync(SimulatorState state, string from, string line)
    {
        if (state.Crm is not { } crm) return null;
        var session = state.NextSessionId();
        var employee = state.Employees.Values.OrderBy(e => e.Id).FirstOrDefault()?.PhoneNumbers.FirstOrDefault();
        if (crm.RoutingUrl is { } routing)
        {
            var query = $"event=redirect_incoming&numa=%22{from}%22&numb={line}&call_session_id={session}";
            using var answer = await Playback.SendAsync(crm, routing, query);
            state.Sent.Enqueue((query, (int)answer.StatusCode));
            if (answer.IsSuccessStatusCode &&
                JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.TryGetProperty("phones", out var phones) && phones.GetArrayLength() > 0)
                employee = phones[0].GetString();
        }
        var variables = new Dictionary<string, object?>
        {
            ["direction"] = "in", ["virtual_phone_number"] = line, ["contact_phone_number"] = from, ["employee_phone_number"] = employee,
            ["call_session_id"] = session,
        };
        await Playback.PlayAsync(crm, state, Playback.IncomingStart, variables, Recording(state, session));
        return session;
    }

    private static void CheckVirtualNumber(RpcRequest request, SimulatorState state)
    {
        var line = request.Required("virtual_phone_number");
        if (!state.VirtualNumbers.ContainsKey(line)) throw RpcError.Of("virtual_phone_number_not_found", field: "virtual_phone_number");
    }

    private static string CheckContact(RpcRequest request, SimulatorState state)
    {
        var contact = request.Required("contact");
        if (!contact.All(char.IsAsciiDigit)) throw RpcError.Of("invalid_parameter_value", "contact is digits with the country code", "contact");
        if (state.Blacklist.ContainsKey(contact)) throw RpcError.Of("contact_in_blacklist", field: "contact");
        return contact;
    }

    private static JsonNode DataApi(RpcRequest request, SimulatorState state) => request.Method switch
    {
        "get.employees" => new JsonArray(state.Employees.Values.OrderBy(e => e.Id).Select(e => (JsonNode)new JsonObject
        {
            ["id"] = e.Id, ["full_name"] = e.FullName,
            ["phone_numbers"] = new JsonArray(e.PhoneNumbers.Select(p => (JsonNode)new JsonObject { ["phone_number"] = p, ["status"] = "active" }).ToArray()),
            ["extension"] = new JsonObject { ["extension_phone_number"] = e.Extension },
        }).ToArray()),
        "get.virtual_numbers" => new JsonArray(state.VirtualNumbers.OrderBy(v => v.Key).Select(v => (JsonNode)new JsonObject
        {
            ["virtual_phone_number"] = v.Key, ["status"] = v.Value,
        }).ToArray()),
        "get.calls_report" => new JsonArray(state.StartedCalls.Select(c => (JsonNode)new JsonObject
        {
            ["id"] = c.CallSessionId, ["start_time"] = c.At.ToString("yyyy-MM-dd HH:mm:ss"), ["direction"] = "out", ["source"] = "callapi",
            ["contact_phone_number"] = c.Params.GetValueOrDefault("contact").ToString(),
            ["virtual_phone_number"] = c.Params.GetValueOrDefault("virtual_phone_number").ToString(),
            ["call_api_external_id"] = c.Params.TryGetValue("external_id", out var external) ? external.ToString() : null,
        }).ToArray()),
        _ => throw RpcError.Of("method_not_found", $"Method {request.Method} not found"),
    };
}
