using System.Text;
using static Signet.Testing.Tuf.TufRepositorySimulator;

namespace Signet.Sigstore.Tests.Tuf.Conformance;

/// <summary>Ports of tuf-conformance tuf_conformance/test_updater_delegation_graphs.py: pre-order depth-first search.</summary>
public sealed class DelegationGraphTests : ConformanceTestBase
{
    /// <summary>A delegation: delegator, role, terminating, paths (comma-separated, "*" by default).</summary>
    public sealed record Delegation(string Delegator, string Role, bool Terminating = false, string Paths = "*");

    public static TheoryData<string, Delegation[], string> Graphs => new()
    {
        { "basic-delegation", [new("targets", "A")], "A" },
        { "single-level-delegations", [new("targets", "A"), new("targets", "B")], "A B" },
        { "two-level-delegations", [new("targets", "A"), new("targets", "B"), new("B", "C")], "A B C" },
        { "two-level-test-DFS-order-of-traversal", [new("targets", "A"), new("targets", "B"), new("A", "C"), new("A", "D")], "A C D B" },
        { "three-level-delegation-test-DFS-order-of-traversal", [new("targets", "A"), new("targets", "B"), new("A", "C"), new("C", "D")], "A C D B" },
        { "two-level-terminating-ignores-all-but-roles-descendants", [new("targets", "A"), new("targets", "B"), new("A", "C", Terminating: true), new("A", "D")], "A C" },
        { "three-level-terminating-ignores-all-but-roles-descendants", [new("targets", "A"), new("targets", "B"), new("A", "C", Terminating: true), new("C", "D")], "A C D" },
        { "two-level-ignores-all-branches-not-matching-paths", [new("targets", "A", Paths: "*.py"), new("targets", "B"), new("A", "C")], "B" },
        { "three-level-ignores-all-branches-not-matching-paths", [new("targets", "A"), new("targets", "B"), new("A", "C", Paths: "*.py"), new("C", "D")], "A B" },
        { "cyclic-graph", [new("targets", "A"), new("targets", "B"), new("B", "C"), new("C", "D"), new("D", "B")], "A B C D" },
        { "two-roles-delegating-to-a-third", [new("targets", "A"), new("targets", "B"), new("B", "C"), new("A", "C")], "A C B" },
        { "two-roles-delegating-to-a-third-different-paths", [new("targets", "A"), new("targets", "B"), new("B", "C"), new("A", "C", Paths: "*.py")], "A B C" },
    };

    public static TheoryData<string, bool, string> TargetCases => new()
    {
        { "targetfile", true, "" },
        { "README.md", true, "A" },
        { "releases/x/x_v1", true, "B C" },
        { "releases/y/y_v1.zip", true, "B D" },
        { "releases/z/z_v1.zip", false, "B" },
    };

    /// <summary>test_graph_traversal[...]: roles are fetched in pre-order depth-first order of appearance (exact request log).</summary>
    [Theory]
    [MemberData(nameof(Graphs))]
    public async Task Download_MissingTarget_VisitsRolesInPreorder(string graph, Delegation[] delegations, string visited)
    {
        InitClient();
        Build(delegations, []);

        Assert.Equal(1, await Client.DownloadTargetAsync("missingpath"));

        Assert.True(Requests() == visited, $"{graph}: visited '{Requests()}', expected '{visited}'");
    }

    /// <summary>test_targetfile_search[...]: the tree targets -> A (*.doc, *.md), B (releases/*/*) -> C (releases/x/*), D (releases/y/*.zip).</summary>
    [Theory]
    [MemberData(nameof(TargetCases))]
    public async Task Download_TargetInDelegationTree_FoundThroughMatchingRoles(string targetPath, bool found, string visited)
    {
        InitClient();
        Build(
            [new("targets", "A", Paths: "*.doc,*.md"), new("targets", "B", Paths: "releases/*/*"), new("B", "C", Paths: "releases/x/*"), new("B", "D", Paths: "releases/y/*.zip")],
            [("targets", "targetfile content", "targetfile"), ("A", "README by A", "README.md"), ("C", "x release by C", "releases/x/x_v1"), ("D", "y release by D", "releases/y/y_v1.zip"), ("D", "z release by D", "releases/z/z_v1.zip")]);

        Assert.Equal(found ? 0 : 1, await Client.DownloadTargetAsync(targetPath));

        Assert.Equal(found ? [Encoding.UTF8.GetString(Repo.Artifacts[targetPath].Data)] : [], Client.DownloadedTargets());
        Assert.Equal(visited, Requests());
    }

    private void Build(Delegation[] delegations, (string Role, string Content, string Path)[] targets)
    {
        foreach (var d in delegations)
        {
            Repo.AddDelegation(d.Delegator, d.Role, d.Paths.Split(','), d.Terminating);
        }

        foreach (var (role, content, path) in targets)
        {
            Repo.AddArtifact(role, Encoding.UTF8.GetBytes(content), path);
        }

        foreach (var role in delegations.Select(d => d.Role).Distinct())
        {
            Repo.PublishAsIs(role);
        }

        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);
    }

    /// <summary>The delegated roles fetched, after root, timestamp, snapshot and targets.</summary>
    private string Requests()
    {
        Assert.Equal([(RootRole, 2), (TimestampRole, null), (SnapshotRole, 2), (TargetsRole, 2)], Repo.MetadataRequests.Take(4));
        Assert.All(Repo.MetadataRequests.Skip(4), r => Assert.Equal(1, r.Version));
        return string.Join(' ', Repo.MetadataRequests.Skip(4).Select(r => r.Role));
    }

    /// <summary>
    /// python-tuf's test_succinct_roles_graph_traversal (tests/test_updater_delegation_graphs.py): with hash-bin
    /// delegation only the path's bin is fetched, and a target listed there is found.
    /// </summary>
    [Theory]
    [InlineData(1, "boo", "bin-0")]
    [InlineData(2, "bar", "bin-3")]
    [InlineData(8, "bar", "bin-fc")]
    public async Task Download_SuccinctHashBins_FetchesOnlyThePathsBin(int bitLength, string targetPath, string bin)
    {
        InitClient();
        foreach (var role in Repo.AddSuccinctRoles(TargetsRole, bitLength, "bin"))
        {
            Repo.PublishAsIs(role);
        }

        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);

        Assert.Equal(1, await Client.DownloadTargetAsync(targetPath));
        Assert.Equal(bin, Requests());

        Repo.AddArtifact(bin, Encoding.UTF8.GetBytes($"in {bin}"), targetPath);
        Repo.Publish(bin, SnapshotRole, TimestampRole);
        Assert.Equal(0, await Client.DownloadTargetAsync(targetPath));
        Assert.Equal([$"in {bin}"], Client.DownloadedTargets());
    }
}
