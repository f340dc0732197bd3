"""The component: the `command-discovery` world of wit/ (revenant:plugin
0.6.0), its `discover` export answered by launchers.decide."""

from wit_world import exports
from wit_world.imports import log, types

import launchers


class Discover(exports.Discover):
    def discover(self, command: types.DiscoveredCommand) -> types.DiscoveryDecision:
        argv = launchers.decide(list(command.argv), command.cwd)
        if argv is None:
            return types.DiscoveryDecision_Keep()
        log.log(types.LogLevel.DEBUG, f"pane {command.pane_id}: {command.argv} -> {argv}")
        return types.DiscoveryDecision_Rewrite(types.RewrittenCommand(argv=argv, cwd=None, env=None))
