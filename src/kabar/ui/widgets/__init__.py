"""Kabar's widgets: the three panes and the status line."""
