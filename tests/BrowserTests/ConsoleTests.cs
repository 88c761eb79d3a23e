using System.Text.Json;
using Microsoft.Playwright;

namespace BrowserTests;

[Collection(DemoCollection.Name)]
public sealed class ConsoleTests(DemoFixture demo)
{
    private const int Admin = 1, Anna = 7, Igor = 8;
    private const string RomashkaPhone = "+79161234567";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private async Task<string> CardIdAsync(string phone) =>
        (await demo.GetAsync($"/api/clients?phone={Uri.EscapeDataString(phone)}", Admin)).GetProperty("items")[0].GetProperty("id").GetString()!;

    private Task PlayIncomingAsync(string from) =>
        demo.SendAsync(HttpMethod.Post, $"/demo/incoming?from={Uri.EscapeDataString(from)}", Admin);

    [Fact]
    public async Task An_incoming_call_pops_up_for_the_personal_manager_not_for_another_employee_and_closes_when_it_ends()
    {
        var anna = await demo.SignedInPageAsync(Anna);
        var igor = await demo.SignedInPageAsync(Igor);
        await DemoFixture.WithScreenshotOnFailureAsync(anna, nameof(An_incoming_call_pops_up_for_the_personal_manager_not_for_another_employee_and_closes_when_it_ends), async () =>
        {
            await anna.GotoAsync("/#/journal");
            await igor.GotoAsync("/#/journal");
            await Assertions.Expect(anna.Locator("#journal-table")).ToBeVisibleAsync();
            await Assertions.Expect(igor.Locator("#journal-table")).ToBeVisibleAsync();

            await PlayIncomingAsync(RomashkaPhone);

            var popup = anna.Locator(".popup");
            await Assertions.Expect(popup).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
            await Assertions.Expect(popup).ToContainTextAsync("ООО «Ромашка»");
            await Assertions.Expect(popup).ToContainTextAsync("Анна Смирнова");
            await Assertions.Expect(popup.Locator(".phone")).ToHaveTextAsync(RomashkaPhone);
            (await igor.Locator(".popup").CountAsync()).Should().Be(0, "the caller has a personal manager, and it is not him");
            await Assertions.Expect(popup).ToHaveCountAsync(0, new() { Timeout = (float)Patience.TotalMilliseconds });
            (await igor.Locator(".popup").CountAsync()).Should().Be(0);

            // In the journal, the call shows where routing sent it.
            await anna.ReloadAsync();
            var row = anna.Locator("#journal-table tbody tr").Filter(new() { HasText = RomashkaPhone }).First;
            await Assertions.Expect(row.Locator(".routing")).ToHaveTextAsync("→ Анна Смирнова");
        });
    }

    [Fact]
    public async Task The_demo_button_plays_a_call_from_a_new_number_that_pops_up_as_a_new_lead_and_lands_in_the_journal()
    {
        var admin = await demo.SignedInPageAsync(Admin);
        await DemoFixture.WithScreenshotOnFailureAsync(admin, nameof(The_demo_button_plays_a_call_from_a_new_number_that_pops_up_as_a_new_lead_and_lands_in_the_journal), async () =>
        {
            await admin.GotoAsync("/#/journal");
            await admin.ClickAsync("#simulate");

            var popup = admin.Locator(".popup");
            await Assertions.Expect(popup).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
            await Assertions.Expect(popup).ToContainTextAsync("Новый лид");
            var phone = await popup.Locator(".phone").TextContentAsync();
            await Assertions.Expect(popup).ToHaveCountAsync(0, new() { Timeout = (float)Patience.TotalMilliseconds });

            await admin.ReloadAsync();
            var row = admin.Locator("#journal-table tbody tr").Filter(new() { HasText = phone! }).First;
            await Assertions.Expect(row).ToBeVisibleAsync();

            // The lead's card, from the journal row, becomes a client.
            await row.GetByText("карточка").ClickAsync();
            await Assertions.Expect(admin.Locator("#card-kind")).ToHaveTextAsync("Лид");
            await admin.FillAsync("#client-name", "ООО «Новый клиент»");
            await admin.ClickAsync("#convert");
            await Assertions.Expect(admin.Locator("#card-kind")).ToHaveTextAsync("Клиент");
            await Assertions.Expect(admin.Locator("h1")).ToContainTextAsync("ООО «Новый клиент»");
            await admin.GotoAsync("/#/journal");
            // The README's picture: the journal with its calls and a popup over it.
            if (Environment.GetEnvironmentVariable("CONSOLE_SCREENSHOT") is { Length: > 0 } path)
            {
                await admin.ClickAsync("#simulate");
                await Assertions.Expect(popup).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
                await admin.WaitForTimeoutAsync(300);
                await admin.ScreenshotAsync(new() { Path = path });
            }
        });
    }

    [Fact]
    public async Task Click_to_call_on_a_cards_number_makes_a_simulator_call_that_shows_in_the_journal_as_answered()
    {
        var anna = await demo.SignedInPageAsync(Anna);
        var phone = "+79031112233";
        var card = await CardIdAsync(phone);
        await DemoFixture.WithScreenshotOnFailureAsync(anna, nameof(Click_to_call_on_a_cards_number_makes_a_simulator_call_that_shows_in_the_journal_as_answered), async () =>
        {
            await anna.GotoAsync($"/#/card/{card}");
            await anna.Locator($".phone[data-phone='{phone}']").First.ClickAsync();
            await Assertions.Expect(anna.Locator("#toast")).ToContainTextAsync("Звоним");

            await anna.GotoAsync($"/#/journal?direction=out&phone={Uri.EscapeDataString(phone)}");
            var row = anna.Locator("#journal-table tbody tr[data-status='answered']");
            await Eventually(async () =>
            {
                await anna.ReloadAsync();
                await anna.Locator("#journal-table").WaitForAsync();
                return await row.CountAsync() > 0;
            });
            await Assertions.Expect(row.First).ToContainTextAsync("исходящий");
        });
    }

    [Fact]
    public async Task With_several_lines_click_to_call_asks_which_and_shows_UIS_refusal_explained()
    {
        var anna = await demo.SignedInPageAsync(Anna);
        var card = await CardIdAsync(RomashkaPhone);
        (await demo.SendAsync(HttpMethod.Put, "/api/settings/lines", Admin, new { lines = new[] { "+74993720692", "+74950000000" } })).EnsureSuccessStatusCode();
        try
        {
            await DemoFixture.WithScreenshotOnFailureAsync(anna, nameof(With_several_lines_click_to_call_asks_which_and_shows_UIS_refusal_explained), async () =>
            {
                await anna.GotoAsync($"/#/card/{card}");
                await anna.Locator($".phone[data-phone='{RomashkaPhone}']").First.ClickAsync();
                await Assertions.Expect(anna.Locator("#line-picker")).ToBeVisibleAsync();
                await anna.SelectOptionAsync("#line-choice", "+74950000000");
                await anna.ClickAsync("#line-ok");
                // Not a line of the simulated UIS account: UIS refuses, and the console says why.
                await Assertions.Expect(anna.Locator("#toast.error")).ToContainTextAsync("Не удалось позвонить");
                await Assertions.Expect(anna.Locator("#toast")).ToContainTextAsync("Этой линии (виртуального номера) нет в UIS");
            });
        }
        finally
        {
            (await demo.SendAsync(HttpMethod.Put, "/api/settings/lines", Admin, new { lines = new[] { "+74993720692" } })).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task A_recording_plays_through_the_playback_endpoint_and_can_seek()
    {
        await PlayIncomingAsync("+79265550101");
        var admin = await demo.SignedInPageAsync(Admin);
        await DemoFixture.WithScreenshotOnFailureAsync(admin, nameof(A_recording_plays_through_the_playback_endpoint_and_can_seek), async () =>
        {
            await admin.GotoAsync("/#/journal?phone=%2B79265550101");
            var audio = admin.Locator("#journal-table audio").First;
            await Eventually(async () =>
            {
                await admin.ReloadAsync();
                await admin.Locator("#journal-table").WaitForAsync();
                return await audio.CountAsync() > 0;
            });
            var played = await audio.EvaluateAsync<JsonElement>("""
                async a => {
                  a.preload = "auto";
                  a.load();
                  await new Promise((resolve, reject) => { a.oncanplay = resolve; a.onerror = () => reject(new Error("media error " + a.error?.code)); });
                  a.currentTime = 0.5;
                  await new Promise(resolve => a.onseeked = resolve);
                  return { duration: a.duration, seekable: a.seekable.length ? a.seekable.end(0) : 0, at: a.currentTime };
                }
                """);
            played.GetProperty("duration").GetDouble().Should().BeGreaterThan(0.5);
            played.GetProperty("seekable").GetDouble().Should().BeGreaterThan(0.5, "the endpoint answers ranges");
            played.GetProperty("at").GetDouble().Should().BeApproximately(0.5, 0.05);
        });
    }

    [Fact]
    public async Task Changing_the_personal_manager_on_the_card_changes_where_the_next_routing_request_goes()
    {
        const string phone = "+79265550101";
        var card = await CardIdAsync(phone);
        var link = (await demo.GetAsync("/api/settings/uis/setup", Admin)).GetProperty("notificationLink").GetString()!;
        var secretPath = new Uri(link).AbsolutePath;
        var admin = await demo.SignedInPageAsync(Admin);
        await DemoFixture.WithScreenshotOnFailureAsync(admin, nameof(Changing_the_personal_manager_on_the_card_changes_where_the_next_routing_request_goes), async () =>
        {
            foreach (var (employee, number) in new[] { (Igor, "79160000008"), (Anna, "79160000007") })
            {
                await admin.GotoAsync($"/#/card/{card}");
                await admin.SelectOptionAsync("#manager-select", employee.ToString());
                await admin.ClickAsync("#save-manager");
                await Assertions.Expect(admin.Locator("#manager-name")).ToHaveTextAsync(employee == Igor ? "Игорь Петров" : "Анна Смирнова");

                var answer = await demo.Http.GetAsync($"{secretPath}?event=redirect_incoming&numa={phone.TrimStart('+')}");
                answer.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
                (await answer.Content.ReadAsStringAsync()).Should().Contain(number);
            }
        });
    }

    [Fact]
    public async Task Settings_save_and_show_only_the_last_four_characters_of_the_key()
    {
        var admin = await demo.SignedInPageAsync(Admin);
        try
        {
            await DemoFixture.WithScreenshotOnFailureAsync(admin, nameof(Settings_save_and_show_only_the_last_four_characters_of_the_key), async () =>
            {
                await admin.GotoAsync("/#/settings");
                await admin.ClickAsync("#check");
                await Assertions.Expect(admin.Locator("#check-result")).ToContainTextAsync("74993720692");
                await Assertions.Expect(admin.Locator("#check-result")).ToContainTextAsync("Анна Смирнова (100007)");
                await admin.ClickAsync("#import");
                await Assertions.Expect(admin.Locator("#toast")).ToContainTextAsync("Импортировано");
                await Eventually(async () => (await admin.Locator("#employees input.name").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.value)"))
                    .Contains("Сергей Новиков"));
                (await demo.GetAsync("/api/settings/employees", Admin)).EnumerateArray()
                    .Should().Contain(e => e.GetProperty("uisEmployeeId").GetInt64() == 100009 && e.GetProperty("phones")[0].GetString() == "+79160000009");

                await admin.FillAsync("#api-key", "test-key-0000-7x9q");
                await admin.ClickAsync("#save-key");
                await Assertions.Expect(admin.Locator("#key-state")).ToHaveTextAsync("Ключ задан: ••••7x9q");
                (await admin.ContentAsync()).Should().NotContain("test-key-0000", "the key is never shown again");

                await admin.FillAsync("#allowed", "127.0.0.1\n203.0.113.10");
                await admin.ClickAsync("#save-routing");
                await Assertions.Expect(admin.Locator("#toast")).ToContainTextAsync("Маршрутизация сохранена");
                (await demo.GetAsync("/api/settings/routing", Admin)).GetProperty("allowedSources").EnumerateArray().Select(a => a.GetString())
                    .Should().Equal("127.0.0.1", "203.0.113.10");
                await Assertions.Expect(admin.Locator("#notification-link")).ToContainTextAsync("/hook/uis/");
            });
        }
        finally
        {
            // The simulator accepts only its own key: put it back for the other tests.
            (await demo.SendAsync(HttpMethod.Put, "/api/settings/uis", Admin, new { apiKey = "sim-token" })).EnsureSuccessStatusCode();
        }
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task Every_page_is_usable_at_the_size_and_writes_no_console_error(int width, int height)
    {
        var errors = new List<string>();
        var card = await CardIdAsync(RomashkaPhone);
        var admin = await demo.SignedInPageAsync(Admin, width, height, errors);
        await DemoFixture.WithScreenshotOnFailureAsync(admin, $"pages-{width}x{height}", async () =>
        {
            foreach (var (hash, heading) in new[] { ("#/journal", "Журнал звонков"), ("#/leads", "Открытые лиды"), ($"#/card/{card}", "ООО «Ромашка»"), ("#/settings", "Настройки") })
            {
                await admin.GotoAsync("/" + hash);
                await Assertions.Expect(admin.Locator("h1")).ToContainTextAsync(heading);
                await admin.WaitForLoadStateAsync(LoadState.NetworkIdle);
                if (hash == "#/journal") (await admin.Locator("svg.chart rect").CountAsync()).Should().Be(60, "two bars a day for 30 days");
                var overflow = await admin.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
                overflow.Should().BeLessThanOrEqualTo(0, $"{hash} fits {width} px without scrolling sideways");
                (await admin.Locator("header nav").IsVisibleAsync()).Should().BeTrue();
            }
            await admin.ClickAsync("#signout");
            await Assertions.Expect(admin.Locator("h1")).ToHaveTextAsync("Вход");
            await Assertions.Expect(admin.Locator("[data-employee]")).ToHaveCountAsync(3);
            errors.Should().BeEmpty();
        });
    }

    private static async Task Eventually(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The page did not show it in time.");
            await Task.Delay(500);
        }
    }
}
