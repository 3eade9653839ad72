using System.CommandLine;

var root = new RootCommand("signet: container image integrity, signing and scanning.");
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
