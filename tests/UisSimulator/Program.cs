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

                  dotnet run --project tests/UisSimulator -- [--port 5080] [--token sim-token] [--employee 25:79260000001]

                  --port N           listen on http://127.0.0.1:N (default 5080)
                  --token KEY        an API key the simulator accepts (default sim-token); point the CRM at it with
                                     PUT /api/settings/uis {"apiKey":"KEY"}
                  --employee ID:NUM  a UIS employee with a phone number (repeatable)

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
        await using var simulator = await Simulator.StartAsync(state, int.Parse(Value("--port") ?? "5080"));
        Console.WriteLine($"UIS simulator on {simulator.BaseUri} (Call API {simulator.CallApiUrl}, Data API {simulator.DataApiUrl}); Ctrl+C to stop.");
        await simulator.WaitForShutdownAsync();
        return 0;
    }
}
