-- tracejit: --jit-eager --jit-param maxabort=3
-- Blacklisting: the loop prints in every iteration (print is a native call the recorder does not
-- know); after maxabort (3) aborted recordings the loop is blacklisted and never tried again.
for i = 1, 8 do
  print("line", i)
end
