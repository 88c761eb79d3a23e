using System.Text.Json;
using Alba;
using IntegrationTests.Infrastructure;

namespace IntegrationTests.Integration;

[Collection(AppCollection.Name)]
public sealed class EmployeesAndLinesTests(AppFixture app)
{
    [Fact]
    public async Task An_admin_puts_an_employee_with_phones_and_sip_lines_and_everyone_lists_them()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { fullName = "Иван Иванов", uisEmployeeId = 25, phones = new[] { "8 (916) 123-45-67", "sip:Ivanov@acme" } })
                .ToUrl("/api/settings/employees/7");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBeOk();
        });

        var employees = await app.Host.GetJsonAsync<JsonElement>("/api/settings/employees", tenant.EmployeeToken(9));
        employees.GetArrayLength().Should().Be(1);
        var employee = employees[0];
        employee.GetProperty("id").GetInt32().Should().Be(7);
        employee.GetProperty("fullName").GetString().Should().Be("Иван Иванов");
        employee.GetProperty("uisEmployeeId").GetInt64().Should().Be(25);
        employee.GetProperty("phones").EnumerateArray().Select(p => p.GetString())
            .Should().Equal("+79161234567", "sip:ivanov@acme");
    }

    [Fact]
    public async Task A_short_extension_number_is_refused_with_an_explanation()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var result = await app.Host.Scenario(s =>
        {
            s.Put.Json(new { fullName = "Пётр", uisEmployeeId = 26, phones = new[] { "+79161234567", "1234" } })
                .ToUrl("/api/settings/employees/8");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBe(400);
        });
        var text = await result.ReadAsTextAsync();
        text.Should().Contain("1234").And.Contain("extension").And.Contain("SIP");

        (await app.Host.GetJsonAsync<JsonElement>("/api/settings/employees", tenant.AdminToken)).GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Settings_need_the_admin_role()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { fullName = "X", phones = Array.Empty<string>() }).ToUrl("/api/settings/employees/8");
            s.WithBearerToken(tenant.EmployeeToken(8));
            s.StatusCodeShouldBe(403);
        });
        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { lines = new[] { "+74993720692" } }).ToUrl("/api/settings/lines");
            s.WithBearerToken(tenant.EmployeeToken(8));
            s.StatusCodeShouldBe(403);
        });
    }

    [Fact]
    public async Task A_number_belongs_to_one_employee()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.PutEmployeeAsync(tenant, 7, "+79161234567");
        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { fullName = "Other", phones = new[] { "89161234567" } }).ToUrl("/api/settings/employees/8");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBe(409);
        });
    }

    [Fact]
    public async Task Lines_are_stored_normalised_and_a_non_number_is_refused()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { lines = new[] { "+7 (499) 372-06-92", "74950853409" } }).ToUrl("/api/settings/lines");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBeOk();
        });
        var lines = await app.Host.GetJsonAsync<JsonElement>("/api/settings/lines", tenant.EmployeeToken(3));
        lines.GetProperty("lines").EnumerateArray().Select(l => l.GetString()).Should().Equal("+74993720692", "+74950853409");

        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { lines = new[] { "+74993720692", "hello" } }).ToUrl("/api/settings/lines");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBe(400);
        });
        lines = await app.Host.GetJsonAsync<JsonElement>("/api/settings/lines", tenant.EmployeeToken(3));
        lines.GetProperty("lines").GetArrayLength().Should().Be(2);
    }
}
