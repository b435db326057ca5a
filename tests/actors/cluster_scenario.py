"""Run in its own process by test_cluster.py: a simulated multi-node Ray cluster
(`ray.cluster_utils.Cluster`) loses the node hosting the dialer shard.

    python -m tests.actors.cluster_scenario DATABASE_URL CAMPAIGN_ID AGENT_ID

Prints one JSON line with what it saw.
"""

import asyncio
import json
import sys
import time

import ray
from ray.cluster_utils import Cluster

from actors.runtime import RayDialer
from config.settings import Settings


async def scenario(
    cluster: Cluster, settings: Settings, campaign: int, agent: int
) -> dict[str, object]:
    dialer = RayDialer(settings)
    await dialer.start()
    await dialer.command("start_campaign", campaign)
    await dialer.command("login", agent, [campaign])
    await dialer.command("ready", agent)
    await asyncio.sleep(0.5)  # agent sessions are written behind
    before = await dialer.shard.node.remote()
    doomed = next(n for n in cluster.worker_nodes if n.node_id == before)
    cluster.remove_node(doomed)
    lost_at = time.monotonic()
    while True:
        try:
            campaigns = await dialer.command("campaigns_snapshot")
            break
        except Exception:
            await asyncio.sleep(0.1)
    recovered = time.monotonic() - lost_at
    agents = await dialer.command("agents_snapshot")
    after = await dialer.shard.node.remote()
    await dialer.close()
    return {
        "before": before,
        "after": after,
        "recovered_s": round(recovered, 2),
        "campaigns": [c["campaign_id"] for c in campaigns],
        "agents": [a["agent_id"] for a in agents],
    }


def main() -> None:
    url, campaign, agent = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1})
    for _ in range(2):
        cluster.add_node(num_cpus=1, resources={"dialer": 1})
    cluster.wait_for_nodes()
    ray.init(address=cluster.address, namespace="cluster-scenario", log_to_driver=False)
    settings = Settings(
        environment="test",
        database_url=url,
        ray_address=cluster.address,
        ray_namespace="cluster-scenario",
        dialer_resources={"dialer": 1},
        carrier_options={"time_scale": 0.01},
        media_enabled=False,
        smtp_sink_enabled=False,
    )
    try:
        result = asyncio.run(scenario(cluster, settings, campaign, agent))
    finally:
        ray.shutdown()
        cluster.shutdown()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
