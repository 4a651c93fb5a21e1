"""One panel per scene, below the heatmap: `train` (Train), `talk` (Talk: badge, chat, memory note,
context), `cost` (what training cost against the replies) and `compare` (side by side)."""
