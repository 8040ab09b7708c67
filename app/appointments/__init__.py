"""Appointments: interpreting, accompaniment and rides for one date, from request to allowance."""
