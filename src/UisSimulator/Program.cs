namespace UisSimulator;

/// <summary>The simulator as a program of its own (a class, not top-level statements, so it does not clash with the host's <c>Program</c> in tests).</summary>
public static class SimulatorProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine("""
                UIS simulator: UIS's Call API and Data API on loopback, for tests and demos.

                  dotnet run --project src/UisSimulator -- [--port 5080] [--token sim-token] [--employee 25:79260000001]
                      [--notify http://127.0.0.1:5000/hook/uis/<secret>] [--routing-url http://127.0.0.1:5000/hook/uis/<secret>?event=redirect_incoming]
                      [--talk 42]

                  --port N           listen on http://127.0.0.1:N (default 5080)
                  --token KEY        an API key the simulator accepts (default sim-token); point the CRM at it with
                                     PUT /api/settings/uis {"apiKey":"KEY"}
                  --employee ID:NUM  a UIS employee with a phone number (repeatable)
                  --notify LINK      the tenant's notification link: calls are then played, i.e. reported to the CRM with
                                     the setup guide's three templates rendered as UIS renders them, recordings served here
                  --routing-url URL  asked first for each incoming call (UIS's "interactive call processing")
                  --talk SECONDS     how long played calls talk (default 42; 0 = not answered)

                Incoming call: POST /simulator/incoming?from=79260000000[&line=74993720692]. Outgoing calls are played
                after start.employee_call / start.simple_call.

                The CRM reaches it with Uis__CallApiUrl=http://127.0.0.1:N/callapi/v4.0 and
                Uis__DataApiUrl=http://127.0.0.1:N/dataapi/v2.0. Virtual number: 74993720692.
                Methods: start.employee_call, start.simple_call, release.call; get.employees,
                get.virtual_numbers, get.calls_report. Errors have UIS's JSON-RPC shape, including
                unexpected_parameters for unknown keys and limit_exceeded with metadata.limits.minute_reset.
                """);
            return 0;
        }

        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var state = new SimulatorState();
        if (Value("--token") is { } token)
        {
            state.Tokens.Clear();
            state.Tokens[token] = "active";
        }
        var employees = args.Select((a, i) => (a, i)).Where(p => p.a == "--employee" && p.i + 1 < args.Length).Select(p => args[p.i + 1]);
        foreach (var employee in employees)
        {
            var parts = employee.Split(':');
            state.Employees[long.Parse(parts[0])] = new SimulatedEmployee(long.Parse(parts[0]), $"Сотрудник {parts[0]}", parts.Length > 1 ? [parts[1]] : []);
        }
        using var crmClient = new HttpClient();
        if (Value("--notify") is { } link) state.Crm = new CrmTarget(crmClient, link, Value("--routing-url"));
        if (Value("--talk") is { } talk) state.TalkSeconds = int.Parse(talk);
        await using var simulator = await Simulator.StartAsync(state, int.Parse(Value("--port") ?? "5080"));
        Console.WriteLine($"UIS simulator on {simulator.BaseUri} (Call API {simulator.CallApiUrl}, Data API {simulator.DataApiUrl}); Ctrl+C to stop.");
        await simulator.WaitForShutdownAsync();
        return 0;
    }
}
