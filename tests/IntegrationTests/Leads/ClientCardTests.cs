using System.Text.Json;
using Alba;
using IntegrationTests.Infrastructure;

namespace IntegrationTests.Leads;

[Collection(AppCollection.Name)]
public sealed class ClientCardTests(AppFixture app)
{
    public sealed record Manager(int EmployeeId, string? FullName);
    public sealed record Card(Guid Id, string Kind, string? Name, List<string> Phones, Manager? PersonalManager, DateTimeOffset FirstContactAt);
    public sealed record Search(List<Card> Items, bool Ambiguous);

    private async Task<Card> RegisterAsync(Scenarios.TestTenant tenant, string name, string[] phones, int? manager = null)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { name, phones, personalManagerId = manager }).ToUrl("/api/clients");
            s.WithBearerToken(tenant.EmployeeToken(3));
            s.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<Card>())!;
    }

    private Task<IScenarioResult> SendAsync(Scenarios.TestTenant tenant, Action<Scenario> request, int status = 204) =>
        app.Host.Scenario(s =>
        {
            request(s);
            s.WithBearerToken(tenant.EmployeeToken(3));
            s.StatusCodeShouldBe(status);
        });

    [Fact]
    public async Task A_registered_client_has_a_card_with_normalised_phones_and_the_managers_name()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.PutEmployeeAsync(tenant, 7, "+79160000007");
        var created = await RegisterAsync(tenant, "ООО Ромашка", ["+7 916 123-45-67", "8 (926) 000-00-01", "89161234567"], manager: 7);

        created.Kind.Should().Be("client");
        created.Phones.Should().Equal("+79161234567", "+79260000001");
        created.PersonalManager.Should().Be(new Manager(7, "Employee 7"));
        var card = await app.Host.GetJsonAsync<Card>($"/api/clients/{created.Id}", tenant.EmployeeToken(9));
        card.Should().BeEquivalentTo(created);
    }

    [Fact]
    public async Task Phones_and_the_personal_manager_change_on_the_card()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var client = await RegisterAsync(tenant, "Иван", ["+79161234567"]);
        await SendAsync(tenant, s => s.Post.Json(new { phone = "8 926 000 00 02" }).ToUrl($"/api/clients/{client.Id}/phones"));
        await SendAsync(tenant, s => s.Delete.Url($"/api/clients/{client.Id}/phones/{Uri.EscapeDataString("+79161234567")}"));
        await SendAsync(tenant, s => s.Put.Json(new { employeeId = 8 }).ToUrl($"/api/clients/{client.Id}/personal-manager"));

        var card = await app.Host.GetJsonAsync<Card>($"/api/clients/{client.Id}", tenant.EmployeeToken(9));
        card.Phones.Should().Equal("+79260000002");
        card.PersonalManager!.EmployeeId.Should().Be(8);

        await SendAsync(tenant, s => s.Delete.Url($"/api/clients/{client.Id}/personal-manager"));
        (await app.Host.GetJsonAsync<Card>($"/api/clients/{client.Id}", tenant.EmployeeToken(9))).PersonalManager.Should().BeNull();
    }

    [Fact]
    public async Task Bad_changes_are_problems_and_unknown_cards_are_not_found()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var client = await RegisterAsync(tenant, "Иван", ["+79161234567"]);
        await SendAsync(tenant, s => s.Post.Json(new { phone = "hello" }).ToUrl($"/api/clients/{client.Id}/phones"), 400);
        await SendAsync(tenant, s => s.Delete.Url($"/api/clients/{client.Id}/phones/79990000000"), 404);
        await SendAsync(tenant, s => s.Put.Json(new { employeeId = 0 }).ToUrl($"/api/clients/{client.Id}/personal-manager"), 400);
        await SendAsync(tenant, s => s.Post.Json(new { name = "X" }).ToUrl($"/api/leads/{client.Id}/convert"), 409);
        await SendAsync(tenant, s => s.Post.Json(new { name = "", phones = new[] { "abc" } }).ToUrl("/api/clients"), 400);
        await SendAsync(tenant, s => s.Get.Url($"/api/clients/{Guid.NewGuid()}"), 404);
        await SendAsync(tenant, s => s.Post.Json(new { phone = "+79260000003" }).ToUrl($"/api/clients/{Guid.NewGuid()}/phones"), 404);
    }

    [Fact]
    public async Task Cards_are_found_by_phone_in_any_format_and_a_shared_number_is_said_to_be_ambiguous()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var first = await RegisterAsync(tenant, "Первый", ["+79161234567"]);
        var other = await RegisterAsync(tenant, "Другой", ["+79260000001"]);
        foreach (var format in new[] { "8 916 123-45-67", "+7 (916) 123-45-67", "9161234567" })
        {
            var found = await app.Host.GetJsonAsync<Search>($"/api/clients?phone={Uri.EscapeDataString(format)}", tenant.EmployeeToken(3));
            found.Items.Select(c => c.Id).Should().Equal(first.Id);
            found.Ambiguous.Should().BeFalse();
        }

        var second = await RegisterAsync(tenant, "Второй", ["89161234567"]);
        var both = await app.Host.GetJsonAsync<Search>("/api/clients?phone=89161234567", tenant.EmployeeToken(3));
        both.Items.Select(c => c.Id).Should().BeEquivalentTo([first.Id, second.Id]);
        both.Ambiguous.Should().BeTrue();
        both.Items.Should().NotContain(c => c.Id == other.Id);
    }

    [Fact]
    public async Task Another_tenants_cards_are_invisible()
    {
        var a = await app.Host.CreateTenantAsync();
        var b = await app.Host.CreateTenantAsync();
        var client = await RegisterAsync(a, "Иван", ["+79161234567"]);
        await SendAsync(b, s => s.Get.Url($"/api/clients/{client.Id}"), 404);
        (await app.Host.GetJsonAsync<Search>("/api/clients?phone=79161234567", b.EmployeeToken(3))).Items.Should().BeEmpty();
        await SendAsync(b, s => s.Put.Json(new { employeeId = 5 }).ToUrl($"/api/clients/{client.Id}/personal-manager"), 404);
        (await app.Host.GetJsonAsync<Card>($"/api/clients/{client.Id}", a.EmployeeToken(3))).PersonalManager.Should().BeNull();
    }

    [Fact]
    public async Task The_phone_index_takes_new_cards_at_once_so_lookups_never_scan_a_pending_list()
    {
        // With GIN's default fast update, every new lead's phone sat in a pending list that each
        // lookup scanned linearly until a vacuum: the screen pop slowed down as leads arrived.
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("""
            select am.amname, array_to_string(c.reloptions, ',') from pg_index i
            join pg_class c on c.oid = i.indexrelid join pg_am am on am.oid = c.relam
            join pg_class t on t.oid = i.indrelid join pg_namespace n on n.oid = t.relnamespace
            where n.nspname = 'envycrm' and t.relname = 'mt_doc_clientcard' and am.amname = 'gin'
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue("the card table has a GIN index on its phones");
        reader.GetString(1).Should().Contain("fastupdate=off");
    }

    [Fact]
    public async Task The_card_tables_statistics_are_taken_again_when_an_accounts_cards_grow_fast()
    {
        // Statistics from when the account had few cards make the planner read all its cards on every lookup by phone.
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        async Task<DateTime> LastAnalysedAsync()
        {
            await using var command = new Npgsql.NpgsqlCommand(
                "select coalesce(last_analyze, '-infinity') from pg_stat_user_tables where schemaname = 'envycrm' and relname = 'mt_doc_clientcard'", connection);
            return (DateTime)(await command.ExecuteScalarAsync())!;
        }
        var tenant = await app.Host.CreateTenantAsync();
        await RegisterAsync(tenant, "Первый", ["+79031000000"]);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // a check has seen the account with its one card
        var before = await LastAnalysedAsync();

        for (var i = 1; i <= AppFixture.CardsBeforeAnalyse; i++) await RegisterAsync(tenant, $"Клиент {i}", [$"+790310{i:D5}"]);

        await Eventually.Async(LastAnalysedAsync, analysed => analysed > before, TimeSpan.FromSeconds(20));
    }
}
