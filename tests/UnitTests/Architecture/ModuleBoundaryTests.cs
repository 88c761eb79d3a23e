using NetArchTest.Rules;

namespace UnitTests.Architecture;

/// <summary>A module references only BuildingBlocks and other modules' Contracts.</summary>
public sealed class ModuleBoundaryTests
{
    [Fact]
    public void Calls_does_not_reference_the_integration_module() =>
        Types.InAssembly(typeof(global::Calls.CallsModule).Assembly).ShouldNot().HaveDependencyOn("Integration.Employees")
            .And().HaveDependencyOn("Integration.Tenants").And().HaveDependencyOn("Integration.Lines")
            .GetResult().IsSuccessful.Should().BeTrue();

    [Fact]
    public void Calls_sees_only_the_contracts_of_leads() =>
        Types.InAssembly(typeof(global::Calls.CallsModule).Assembly).ShouldNot()
            .HaveDependencyOnAny("Leads.Person", "Leads.ClientCards", "Leads.CallLinking", "Leads.Clients", "Leads.ScreenPop")
            .GetResult().IsSuccessful.Should().BeTrue();

    [Fact]
    public void Integration_does_not_reference_the_calls_module() =>
        Types.InAssembly(typeof(global::Integration.IntegrationModule).Assembly).ShouldNot().HaveDependencyOn("Calls")
            .GetResult().IsSuccessful.Should().BeTrue();

    [Theory]
    [InlineData(typeof(global::Calls.CallsModule))]
    [InlineData(typeof(global::Integration.IntegrationModule))]
    [InlineData(typeof(global::Leads.LeadsModule))]
    [InlineData(typeof(global::Routing.RoutingModule))]
    public void Modules_reference_no_other_module_project_but_contracts(Type module)
    {
        var modules = new[] { "Calls", "Integration", "Leads", "Routing" }; // the projects; "<Module>.Contracts" assemblies are allowed
        var own = module.Assembly.GetName().Name!;
        module.Assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(name => modules.Contains(name) && name != own)
            .Should().BeEmpty();
    }

    [Fact]
    public void Leads_sees_only_the_contracts_of_calls_and_integration() =>
        Types.InAssembly(typeof(global::Leads.LeadsModule).Assembly).ShouldNot()
            .HaveDependencyOnAny("Calls.Call", "Calls.Uis", "Integration.Employees", "Integration.Tenants", "Integration.Lines")
            .GetResult().IsSuccessful.Should().BeTrue();

    [Fact]
    public void Routing_sees_only_the_contracts_of_leads_and_integration() =>
        Types.InAssembly(typeof(global::Routing.RoutingModule).Assembly).ShouldNot()
            .HaveDependencyOnAny("Leads.Person", "Leads.ClientCards", "Leads.CallLinking", "Leads.ManagerLookups", "Calls",
                "Integration.Employees", "Integration.Tenants", "Integration.Lines", "Integration.Routing")
            .GetResult().IsSuccessful.Should().BeTrue();

    [Fact]
    public void BuildingBlocks_depend_on_no_module() =>
        Types.InAssembly(typeof(BuildingBlocks.Phones.Phone).Assembly).ShouldNot()
            .HaveDependencyOnAny("Calls", "Integration", "Leads", "Routing", "Host").GetResult().IsSuccessful.Should().BeTrue();
}
