using System.Security.Cryptography;
using Host.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;

namespace UnitTests.Security;

public sealed class TokenTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(64);

    private static (int Code, string Out) Run(params string[] args)
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try { return (TokenCommand.Run(args, Key), output.ToString().Trim()); }
        finally { Console.SetOut(original); }
    }

    [Fact]
    public async Task The_token_command_prints_an_employee_token_the_api_accepts()
    {
        var (code, token) = Run("--tenant", "acme", "--employee", "7", "--role", "admin");
        code.Should().Be(0);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, TokenIssuer.ValidationParameters(Key));
        result.IsValid.Should().BeTrue();
        result.Claims["tenant"].Should().Be("acme");
        result.Claims["sub"].Should().Be("7");
        result.Claims["role"].Should().Be("admin");
    }

    [Fact]
    public async Task The_operator_token_has_no_tenant()
    {
        var (code, token) = Run("--operator");
        code.Should().Be(0);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, TokenIssuer.ValidationParameters(Key));
        result.Claims["role"].Should().Be("operator");
        result.Claims.Should().NotContainKey("tenant");
    }

    [Theory]
    [InlineData("--tenant", "acme")]
    [InlineData("--employee", "7")]
    [InlineData("--tenant", "acme", "--employee", "7", "--role", "root")]
    public void Incomplete_or_wrong_arguments_print_the_usage_and_fail(params string[] args) => Run(args).Code.Should().Be(2);

    [Fact]
    public void Outside_development_a_missing_signing_key_stops_the_start_with_a_message()
    {
        var production = new Environment { EnvironmentName = Environments.Production };
        var resolve = () => SigningKey.Resolve(new ConfigurationBuilder().Build(), production);
        resolve.Should().Throw<InvalidOperationException>().WithMessage("*Auth__SigningKey*");
    }

    [Fact]
    public void A_configured_key_shorter_than_32_bytes_is_refused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:SigningKey"] = "short" }).Build();
        var resolve = () => SigningKey.Resolve(configuration, new Environment { EnvironmentName = Environments.Production });
        resolve.Should().Throw<InvalidOperationException>().WithMessage("*32 bytes*");
    }

    [Fact]
    public void In_development_a_key_is_generated_once_and_kept_under_dot_data()
    {
        var root = Directory.CreateTempSubdirectory().FullName;
        var development = new Environment { EnvironmentName = Environments.Development, ContentRootPath = root };
        var first = SigningKey.Resolve(new ConfigurationBuilder().Build(), development);
        var second = SigningKey.Resolve(new ConfigurationBuilder().Build(), development);
        first.Should().HaveCountGreaterThanOrEqualTo(32).And.Equal(second);
        File.Exists(Path.Combine(root, ".data", "signing-key")).Should().BeTrue();
        Directory.Delete(root, recursive: true);
    }

    private sealed class Environment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "";
        public string ApplicationName { get; set; } = "tests";
        public string ContentRootPath { get; set; } = Path.GetTempPath();
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
