"""The simulated carrier: the embedded default, needing no carrier account."""

from dialer.simulated.carrier import DialRecord, SimulatedCarrier, SimulationProfile

__all__ = ["DialRecord", "SimulatedCarrier", "SimulationProfile"]
