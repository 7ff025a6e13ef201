"""Hack directions from pair sets, in gradient space (v_grad) and activation space (v_act), with controls."""
