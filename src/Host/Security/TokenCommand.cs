using BuildingBlocks.Tenancy;

namespace Host.Security;

/// <summary><c>token --tenant acme --employee 7 [--role admin]</c> or <c>token --operator</c>: prints a bearer token.</summary>
public static class TokenCommand
{
    public const string Usage = "usage: token --tenant <subdomain> --employee <id> [--role admin] [--hours N] | token --operator [--hours N]";

    public static int Run(string[] args, byte[] key)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var lifetime = TimeSpan.FromHours(double.TryParse(Option("--hours"), out var hours) ? hours : 12);

        if (args.Contains("--operator"))
        {
            Console.WriteLine(TokenIssuer.ForOperator(key, lifetime));
            return 0;
        }
        if (Option("--tenant") is not { } tenant || !int.TryParse(Option("--employee"), out var employee))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var role = Option("--role");
        if (role is not (null or Auth.AdminRole))
        {
            Console.Error.WriteLine($"--role is \"{Auth.AdminRole}\" or absent. " + Usage);
            return 2;
        }
        Console.WriteLine(TokenIssuer.ForEmployee(key, tenant, employee, role, lifetime));
        return 0;
    }
}
